import type { Heritage } from './names.js';

/*
 * Common names, never real people: every person in the demo is a random pairing of a given name
 * and a surname. Parents' and staff's generation has its own lists where names have shifted.
 */

export const ENGLISH: Heritage = {
  id: 'english',
  weight: 46,
  girls: [
    'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Freya', 'Lily', 'Evie', 'Ella', 'Poppy', 'Sophie', 'Chloe',
    'Jessica', 'Emily', 'Millie', 'Harriet', 'Phoebe', 'Rosie', 'Imogen', 'Charlotte', 'Eleanor', 'Matilda', 'Daisy',
    'Holly', 'Lucy', 'Megan', 'Abigail', 'Scarlett', 'Zoë', 'Elizabeth', 'Florence', 'Maisie', 'Esme', 'Ruby', 'Willow',
  ],
  boys: [
    'Oliver', 'George', 'Harry', 'Jack', 'Noah', 'Charlie', 'Jacob', 'Alfie', 'Freddie', 'Oscar', 'Leo', 'Archie',
    'Theo', 'Joshua', 'Thomas', 'William', 'James', 'Henry', 'Max', 'Samuel', 'Joseph', 'Daniel', 'Edward',
    'Alexander', 'Finley', 'Lewis', 'Ethan', 'Toby', 'Reuben', 'Harrison', 'Benjamin', 'Louis', 'Stanley', 'Jude',
  ],
  women: [
    'Sarah', 'Emma', 'Claire', 'Rebecca', 'Laura', 'Nicola', 'Kelly', 'Gemma', 'Joanne', 'Lisa', 'Helen', 'Rachel',
    'Victoria', 'Hannah', 'Katie', 'Louise', 'Amy', 'Kirsty', 'Jennifer', 'Samantha', 'Natalie', 'Charlotte', 'Stacey',
    'Jodie', 'Zoë', 'Catherine', 'Alison', 'Hayley', 'Lindsey', 'Ruth',
  ],
  men: [
    'David', 'Paul', 'Mark', 'Andrew', 'Richard', 'Stephen', 'Lee', 'Craig', 'Darren', 'Matthew', 'Christopher',
    'Daniel', 'James', 'Michael', 'Ben', 'Simon', 'Jamie', 'Carl', 'Neil', 'Adam', 'Robert', 'Tom', 'Stuart', 'Wayne',
    'Jonathan', 'Philip', 'Ian', 'Martin', 'Kevin', 'Nathan',
  ],
  surnames: [
    'Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Johnson', 'Wright', 'Walker', 'Robinson', 'Thompson', 'White',
    'Hughes', 'Edwards', 'Green', 'Hall', 'Wood', 'Harris', 'Clarke', 'Jackson', 'Turner', 'Hill', 'Moore', 'Cooper',
    'Ward', 'Baker', 'Fletcher', 'Marsh', 'Holloway', 'Ashworth', 'Whitfield', 'Barnes', 'Chapman', 'Kendall',
    'Lister', 'Pearce', 'Atkinson', 'Booth', 'Dawson', 'Foster', 'Hargreaves', 'Kershaw', 'Naylor', 'Pickering',
    'Sutcliffe', 'Thornton', 'Webb', 'Yates', 'Bradshaw', 'Cartwright', 'Doherty-Hale',
  ],
};

export const WELSH: Heritage = {
  id: 'welsh',
  weight: 3,
  girls: ['Cerys', 'Seren', 'Ffion', 'Nia', 'Carys', 'Mali', 'Eleri', 'Sioned', 'Lowri', 'Megan'],
  boys: ['Rhys', 'Dylan', 'Owain', 'Gethin', 'Iwan', 'Tomos', 'Aled', 'Osian', 'Cai', 'Ioan'],
  women: ['Siân', 'Rhian', 'Bethan', 'Catrin', 'Nerys', 'Lowri', 'Angharad', 'Gwen'],
  men: ['Gareth', 'Rhodri', 'Huw', 'Dafydd', 'Geraint', 'Emyr', 'Gwyn', 'Aled'],
  surnames: ['Evans', 'Davies', 'Williams', 'Morgan', 'Griffiths', 'Pritchard', 'Llewellyn', 'Powell', 'Vaughan', 'Rees', 'Lloyd', 'Jenkins', 'Bowen', 'Prosser'],
};

export const SCOTTISH: Heritage = {
  id: 'scottish',
  weight: 3,
  girls: ['Eilidh', 'Isla', 'Kirsty', 'Morven', 'Ailsa', 'Catriona', 'Skye', 'Iona', 'Mhairi', 'Rhona'],
  boys: ['Callum', 'Euan', 'Fraser', 'Hamish', 'Ruaridh', 'Angus', 'Lachlan', 'Struan', 'Finlay', 'Alasdair'],
  women: ['Fiona', 'Morag', 'Kirsty', 'Shona', 'Catriona', 'Lorna', 'Mairi', 'Elspeth'],
  men: ['Alasdair', 'Iain', 'Gordon', 'Fraser', 'Euan', 'Calum', 'Graeme', 'Douglas'],
  surnames: ['MacDonald', 'Campbell', 'Stewart', 'Robertson', 'Fraser', 'McKenzie', 'Murray', 'Sinclair', 'MacLeod', 'Ross', 'Buchanan', 'Cameron'],
};

export const IRISH: Heritage = {
  id: 'irish',
  weight: 5,
  girls: ['Aoife', 'Niamh', 'Saoirse', 'Siobhán', 'Róisín', 'Ciara', 'Orla', 'Clodagh', 'Caoimhe', 'Éabha', 'Méabh', 'Síofra'],
  boys: ['Cian', 'Oisín', 'Seán', 'Ciarán', 'Darragh', 'Eoin', 'Pádraig', 'Conor', 'Tadhg', 'Cillian', 'Rónán', 'Fionn'],
  women: ['Siobhán', 'Mairéad', 'Áine', 'Gráinne', 'Deirdre', 'Orla', 'Niamh', 'Clodagh', 'Sinéad', 'Bríd'],
  men: ['Pádraig', 'Ciarán', 'Declan', 'Fergal', 'Cathal', 'Dónal', 'Séamus', 'Brendan', 'Éamonn', 'Colm'],
  surnames: [
    "O'Brien", "O'Connor", 'Murphy', 'Kelly', "O'Sullivan", 'Byrne', 'Ryan', 'Doyle', 'McCarthy', "O'Neill",
    'Gallagher', 'Brennan', 'Quinn', 'Dunne', "O'Donnell", 'Ó Briain', 'Fitzgerald', 'Mac Giolla',
  ],
};
