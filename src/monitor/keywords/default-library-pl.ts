import { defineEntries } from './default-library-rows.js';
import type { KeywordEntry } from './types.js';

/*
 * Polish: the most spoken language after English in English schools. Terms are written with
 * their diacritics; the matcher folds them, so pupils who type "zabic sie" are still matched.
 * Polish word order is free ("chcę się zabić", "zabiję się"), so the reflexive verbs are
 * listed in both orders.
 */
export const DEFAULT_LIBRARY_PL: readonly KeywordEntry[] = [
  ...defineEntries('pl', 'suicide', [
    ['zabić się', 'critical'],
    ['się zabić', 'critical'],
    ['zabiję się', 'critical'],
    ['chcę umrzeć', 'critical'],
    ['nie chcę żyć', 'critical'],
    ['popełnić samobójstwo', 'critical'],
    // Polish nouns decline: the forms pupils write most ("myślę o samobójstwie").
    ['samobójstwo', 'medium'],
    ['samobójstwie', 'medium'],
    ['samobójstwa', 'medium'],
    ['żyć', 'critical', { near: ['nie chcę', 2] }],
    ['mam dość życia', 'high'],
    ['skończyć ze sobą', 'critical'],
    ['skończę ze sobą', 'critical'],
    ['powieszę się', 'critical'],
    ['powiesić się', 'critical'],
    ['targnąć się na życie', 'critical'],
  ]),
  ...defineEntries('pl', 'self_harm', [
    ['tnę się', 'high'],
    ['się tnę', 'high'],
    ['pociąć się', 'high'],
    ['pocięłam się', 'high'],
    ['pociąłem się', 'high'],
    ['ciąć się', 'high'],
    ['samookaleczenie', 'high'],
    ['samookaleczam się', 'high'],
    ['okaleczam się', 'high'],
  ]),
  ...defineEntries('pl', 'bullying', [
    ['zabij się', 'high'],
    ['nikt cię nie lubi', 'medium'],
    ['wszyscy cię nienawidzą', 'medium'],
    ['jesteś brzydka', 'medium'],
    ['jesteś brzydki', 'medium'],
    ['gruba świnia', 'medium'],
    ['szmata', 'medium'],
    ['dziwka', 'medium'],
    ['spierdalaj', 'low'],
    ['frajer', 'low'],
  ]),
  ...defineEntries('pl', 'discrimination', [
    ['czarnuch', 'high'],
    ['pedał', 'high', { except: ['pedał gazu', 'pedał hamulca', 'pedał roweru', 'pedał od roweru'] }],
    ['pedały', 'high', { except: ['pedały roweru', 'pedały od roweru'] }],
    ['pedale', 'high'],
    ['ciota', 'medium'],
    ['wracaj do swojego kraju', 'high'],
  ]),
  ...defineEntries('pl', 'violence', [
    ['zabiję cię', 'high'],
    ['zajebię cię', 'high'],
    ['pobiję cię', 'medium'],
    ['dźgnę cię', 'high'],
    ['dostaniesz wpierdol', 'medium'],
  ]),
  ...defineEntries('pl', 'drugs', [
    ['marihuana', 'medium'],
    ['zioło', 'medium'],
    ['trawka', 'medium'],
    ['trawkę', 'medium'],
    ['zioła', 'medium'],
    ['dopalacze', 'high'],
    ['mefedron', 'high'],
    ['mefa', 'high'],
    ['kokaina', 'medium'],
    ['amfetamina', 'high'],
    ['amfa', 'high'],
    ['zjarany', 'medium'],
  ]),
  ...defineEntries('pl', 'child_exploitation', [
    ['wyślij nudesy', 'critical'],
    ['wyślij mi nudesy', 'critical'],
    ['nie mów rodzicom', 'high'],
    ['nie mów mamie', 'high'],
    ['to nasza tajemnica', 'critical'],
    ['usuń tę rozmowę', 'high'],
  ]),
  ...defineEntries('pl', 'pornography', [['pornol', 'medium']]),
  ...defineEntries('pl', 'extremism', [
    ['biała siła', 'high'],
    ['śmierć żydom', 'critical'],
    ['śmierć muzułmanom', 'critical'],
  ]),
  ...defineEntries('pl', 'gambling', [
    ['zakłady bukmacherskie', 'medium'],
    ['kasyno', 'medium'],
    ['kasyno online', 'high'],
  ]),
  ...defineEntries('pl', 'illegal', [['pornografia dziecięca', 'critical']]),
];
