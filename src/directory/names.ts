/** How a person is named everywhere in Tutela: the name they go by, then their family name. */
export const personName = (p: { given_name: string; preferred_name: string | null; family_name: string }): string =>
  `${p.preferred_name ?? p.given_name} ${p.family_name}`;
