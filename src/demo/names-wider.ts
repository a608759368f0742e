import type { Heritage } from './names.js';

/*
 * Families whose roots are further afield. Surnames that change with gender in the family's
 * language (Polish -ski/-ska, Lithuanian) are left out so one surname fits a whole household.
 */

export const POLISH: Heritage = {
  id: 'polish',
  weight: 5,
  girls: ['Zofia', 'Zuzanna', 'Julia', 'Maja', 'Wiktoria', 'Aleksandra', 'Natalia', 'Łucja', 'Hanna', 'Oliwia'],
  boys: ['Jakub', 'Kacper', 'Szymon', 'Filip', 'Mateusz', 'Bartosz', 'Wojciech', 'Michał', 'Antoni', 'Franciszek'],
  women: ['Agnieszka', 'Katarzyna', 'Magdalena', 'Joanna', 'Anna', 'Małgorzata', 'Monika', 'Ewa', 'Justyna', 'Dorota'],
  men: ['Tomasz', 'Piotr', 'Krzysztof', 'Paweł', 'Marcin', 'Łukasz', 'Grzegorz', 'Marek', 'Rafał', 'Andrzej'],
  surnames: [
    'Nowak',
    'Wójcik',
    'Mazur',
    'Krawczyk',
    'Kaczmarek',
    'Zając',
    'Król',
    'Wróbel',
    'Dudek',
    'Pawlak',
    'Sikora',
    'Baran',
    'Szewczyk',
    'Michalak',
    'Bąk',
  ],
};

export const ROMANIAN: Heritage = {
  id: 'romanian',
  weight: 3,
  girls: ['Ioana', 'Andreea', 'Maria', 'Elena', 'Bianca', 'Alexandra', 'Ana-Maria', 'Daria', 'Ilinca', 'Sofia'],
  boys: ['Andrei', 'Ștefan', 'Mihai', 'Alexandru', 'Ionuț', 'Gabriel', 'Luca', 'David', 'Răzvan', 'Matei'],
  women: ['Mihaela', 'Cristina', 'Elena', 'Ioana', 'Raluca', 'Alina', 'Simona', 'Gabriela'],
  men: ['Florin', 'Adrian', 'Bogdan', 'Cătălin', 'Marius', 'Ionuț', 'Cristian', 'Vasile'],
  surnames: ['Popescu', 'Ionescu', 'Popa', 'Constantin', 'Dumitru', 'Stan', 'Munteanu', 'Șerban', 'Radu', 'Lungu', 'Moldovan', 'Bălan'],
};

export const PORTUGUESE: Heritage = {
  id: 'portuguese',
  weight: 2,
  girls: ['Beatriz', 'Inês', 'Leonor', 'Mariana', 'Matilde', 'Lara', 'Carolina'],
  boys: ['João', 'Tiago', 'Rafael', 'Gonçalo', 'Duarte', 'Rodrigo', 'Afonso'],
  women: ['Ana', 'Patrícia', 'Sandra', 'Cláudia', 'Sónia', 'Fernanda'],
  men: ['Paulo', 'Nuno', 'Ricardo', 'Sérgio', 'Rui', 'Luís'],
  surnames: ['Silva', 'Santos', 'Ferreira', 'Pereira', 'Costa', 'Rodrigues', 'Gonçalves', 'Sousa', 'Almeida'],
};

export const TURKISH: Heritage = {
  id: 'turkish',
  weight: 2,
  girls: ['Elif', 'Zeynep', 'Ayşe', 'Defne', 'Ecem', 'Eylül', 'Nisa', 'Melis'],
  boys: ['Emre', 'Mert', 'Kerem', 'Yusuf', 'Arda', 'Baran', 'Deniz', 'Efe'],
  women: ['Fatma', 'Emine', 'Hatice', 'Gül', 'Sevgi', 'Özlem'],
  men: ['Mehmet', 'Mustafa', 'Hüseyin', 'Hasan', 'Ali', 'Serkan'],
  surnames: ['Yılmaz', 'Demir', 'Kaya', 'Şahin', 'Çelik', 'Aydın', 'Öztürk', 'Doğan', 'Arslan'],
};

export const PAKISTANI: Heritage = {
  id: 'pakistani',
  weight: 8,
  girls: ['Aisha', 'Maryam', 'Fatima', 'Zara', 'Hafsa', 'Inaya', 'Amira', 'Safiya', 'Khadija', 'Noor', 'Eman', 'Hania'],
  boys: ['Muhammad', 'Ibrahim', 'Yusuf', 'Hamza', 'Zayn', 'Ayaan', 'Rayyan', 'Bilal', 'Haris', 'Arham', 'Musa', 'Zakariya'],
  women: ['Nazia', 'Shazia', 'Saima', 'Rukhsana', 'Farah', 'Ayesha', 'Sadia', 'Uzma', 'Samina', 'Asma'],
  men: ['Imran', 'Tariq', 'Asif', 'Zahid', 'Kamran', 'Shahid', 'Naveed', 'Adeel', 'Khalid', 'Faisal'],
  surnames: ['Khan', 'Ahmed', 'Hussain', 'Ali', 'Iqbal', 'Mahmood', 'Akhtar', 'Qureshi', 'Malik', 'Butt', 'Raza', 'Bashir', 'Javed'],
};

export const BANGLADESHI: Heritage = {
  id: 'bangladeshi',
  weight: 4,
  girls: ['Ayesha', 'Tahmina', 'Nusrat', 'Sumaiya', 'Raisa', 'Jannat', 'Fariha', 'Tasnim', 'Anisa'],
  boys: ['Rahim', 'Tahmid', 'Arif', 'Sami', 'Rayhan', 'Nafis', 'Ayaan', 'Tanvir', 'Yahya'],
  women: ['Shirin', 'Rehana', 'Nasima', 'Salma', 'Rokeya', 'Shamima', 'Jahanara'],
  men: ['Abdul', 'Mohammed', 'Jamal', 'Shahid', 'Kamal', 'Anwar', 'Habib'],
  surnames: ['Rahman', 'Uddin', 'Miah', 'Chowdhury', 'Islam', 'Hossain', 'Alam', 'Sarkar', 'Hoque'],
};

export const INDIAN: Heritage = {
  id: 'indian',
  weight: 6,
  girls: ['Priya', 'Ananya', 'Diya', 'Anika', 'Saanvi', 'Simran', 'Harleen', 'Jasleen', 'Kavya', 'Riya', 'Meera', 'Aditi'],
  boys: ['Arjun', 'Aarav', 'Rohan', 'Vihaan', 'Dev', 'Harjot', 'Arnav', 'Kabir', 'Ishaan', 'Krish', 'Jaskaran', 'Aryan'],
  women: ['Sunita', 'Anjali', 'Rupinder', 'Parminder', 'Neelam', 'Hema', 'Deepa', 'Kiran', 'Meena'],
  men: ['Rajesh', 'Sanjay', 'Sukhwinder', 'Manjit', 'Vikram', 'Amit', 'Jaswinder', 'Nikhil', 'Suresh'],
  surnames: [
    'Patel',
    'Shah',
    'Sharma',
    'Singh',
    'Gill',
    'Sandhu',
    'Mistry',
    'Chauhan',
    'Kumar',
    'Joshi',
    'Bains',
    'Mehta',
    'Dhillon',
    'Parmar',
    'Pillai',
    'Iyer',
  ],
};

export const SOMALI: Heritage = {
  id: 'somali',
  weight: 3,
  girls: ['Hodan', 'Ayaan', 'Hibaaq', 'Nasra', 'Sagal', 'Ifrah', 'Fardowsa', 'Ubah', 'Sahra', 'Idil'],
  boys: ['Abdirahman', 'Abdullahi', 'Mohamed', 'Liban', 'Guled', 'Bashir', 'Khalid', 'Zakaria', 'Abdikarim', 'Yahye'],
  women: ['Faadumo', 'Amina', 'Hawa', 'Khadra', 'Sahra', 'Asha', 'Deeqa'],
  men: ['Ahmed', 'Abdiqani', 'Hussein', 'Omar', 'Said', 'Abdiaziz', 'Mahad'],
  surnames: ['Abdi', 'Hassan', 'Warsame', 'Farah', 'Osman', 'Jama', 'Mohamud', 'Aden', 'Nur', 'Egal', 'Ismail', 'Yusuf'],
};

export const NIGERIAN: Heritage = {
  id: 'nigerian',
  weight: 5,
  girls: [
    'Chidinma',
    'Adaeze',
    'Temitope',
    'Folake',
    'Amarachi',
    'Ifeoma',
    'Tolulope',
    'Morenike',
    'Oluwatobi',
    'Zainab',
    'Deborah',
    'Precious',
  ],
  boys: [
    'Chinedu',
    'Oluwadamilare',
    'Tobenna',
    'Ayodele',
    'Olumide',
    'Chukwuemeka',
    'Babajide',
    'Femi',
    'Kelechi',
    'David',
    'Daniel',
    'Samuel',
  ],
  women: ['Ngozi', 'Funmilayo', 'Chioma', 'Bukola', 'Yetunde', 'Nkechi', 'Blessing', 'Folasade'],
  men: ['Olusegun', 'Chukwudi', 'Adewale', 'Babatunde', 'Emeka', 'Tunde', 'Obinna', 'Kunle'],
  surnames: [
    'Okafor',
    'Adeyemi',
    'Okonkwo',
    'Adebayo',
    'Eze',
    'Nwosu',
    'Ogunleye',
    'Balogun',
    'Olawale',
    'Chukwu',
    'Obi',
    'Afolabi',
    'Oyelaran',
    'Adeleke',
  ],
};

export const GHANAIAN: Heritage = {
  id: 'ghanaian',
  weight: 2,
  girls: ['Ama', 'Akosua', 'Efua', 'Adwoa', 'Abena', 'Esi', 'Nana', 'Afia'],
  boys: ['Kwame', 'Kofi', 'Kwabena', 'Yaw', 'Kojo', 'Kwesi', 'Kwaku', 'Nana'],
  women: ['Comfort', 'Gifty', 'Abena', 'Akua', 'Adjoa', 'Mercy'],
  men: ['Emmanuel', 'Kwaku', 'Kofi', 'Kwame', 'Isaac', 'Prince'],
  surnames: ['Mensah', 'Asante', 'Boateng', 'Owusu', 'Appiah', 'Osei', 'Agyeman', 'Darko', 'Amoah'],
};

export const CARIBBEAN: Heritage = {
  id: 'caribbean',
  weight: 4,
  girls: ['Shanice', 'Jada', 'Kezia', 'Tia', 'Aaliyah', 'Leah', 'Nia', 'Jasmine', 'Imani', 'Amara', 'Naomi'],
  boys: ['Jamal', 'Tyrese', 'Marcus', 'Kai', 'Jerome', 'Malachi', 'Isaiah', 'Elijah', 'Jayden', 'Reuben', 'Josiah'],
  women: ['Marcia', 'Donna', 'Paulette', 'Sharon', 'Andrea', 'Beverley', 'Michelle', 'Simone', 'Janice'],
  men: ['Delroy', 'Winston', 'Errol', 'Leon', 'Clive', 'Devon', 'Trevor', 'Courtney', 'Everton'],
  surnames: [
    'Campbell',
    'Clarke',
    'Francis',
    'Gordon',
    'Grant',
    'Henry',
    'Reid',
    'Bailey',
    'Forbes',
    'Brathwaite',
    'Richards',
    'Morrison',
    'Beckford',
    'McKenzie',
    'Samuels',
  ],
};

export const CHINESE: Heritage = {
  id: 'chinese',
  weight: 3,
  girls: ['Mei', 'Jiayi', 'Yutong', 'Xinyi', 'Ka Yan', 'Wing Yan', 'Chloe', 'Grace', 'Hannah', 'Joyce'],
  boys: ['Hao', 'Jun', 'Zihan', 'Chun Kit', 'Ming', 'Wei', 'Ethan', 'Lucas', 'Ryan', 'Jason'],
  women: ['Li Na', 'Xiaomei', 'Suk Ling', 'Wai Man', 'Michelle', 'Karen', 'Yan'],
  men: ['Wei', 'Jian', 'Kwok Wai', 'Chi Ming', 'Kenneth', 'Tony', 'Hong'],
  surnames: ['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Wong', 'Cheung', 'Chan', 'Lam', 'Ng', 'Lau', 'Ho', 'Tang', 'Yeung'],
};

export const ARABIC: Heritage = {
  id: 'arabic',
  weight: 2,
  girls: ['Layla', 'Mariam', 'Yasmin', 'Salma', 'Nour', 'Hana', 'Lina', 'Jana'],
  boys: ['Omar', 'Adam', 'Karim', 'Tariq', 'Youssef', 'Ahmad', 'Ali', 'Hadi'],
  women: ['Rania', 'Dalia', 'Samira', 'Huda', 'Reem', 'Manal'],
  men: ['Khaled', 'Samir', 'Walid', 'Hassan', 'Nabil', 'Fadi'],
  surnames: ['Haddad', 'Mansour', 'Saleh', 'Nasser', 'Hamdan', 'Al-Sayed', 'El-Amin', 'Khalil', 'Darwish'],
};
