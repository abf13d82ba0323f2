// A synthetic directory for the fuzzy-search benchmark: N recipients with realistic names (first,
// sometimes a middle initial, last; some hyphenated), work emails, employee ids and departments,
// from a seeded generator so every run searches the same people.
import type { DepartmentRow, RecipientRow } from '../src/lib/domain/sync/rows.ts';

const FIRST = `Ada Alan Grace Linus Barbara Margaret Katherine Dennis Ken Donald Edsger John Tim Vint Radia Frances
Hedy Claude Niklaus Bjarne Guido James Anders Brendan Yukihiro Larry Rasmus Sophie Ingrid Olaf Mei Wei Hiroshi Aiko
Fatima Omar Amara Kwame Chidi Priya Arjun Ananya Rahul Elena Dmitri Ivan Olga Lucia Mateo Sofia Diego Camila Noah
Liam Emma Olivia Ava Isabella Mia Charlotte Amelia Harper Evelyn Benjamin Lucas Henry Alexander Sebastian Jack Owen
Theodore Aiden Samuel Joseph David Daniel Michael Matthew Andrew Thomas Christopher Joshua Nathan Ryan Zoe Hannah
Leah Nora Chloe Ella Grace Aurora Violet Hazel Stella Lily Ellie Paisley Audrey Skylar Claire Lucy Anna Caroline`
  .split(/\s+/)
  .filter(Boolean);
const LAST = `Lovelace Turing Hopper Torvalds Liskov Hamilton Johnson Ritchie Thompson Knuth Dijkstra McCarthy
Berners-Lee Cerf Perlman Allen Lamarr Shannon Wirth Stroustrup Rossum Gosling Hejlsberg Eich Matsumoto Wall Lerdorf
Wilson Andersen Nakamura Tanaka Suzuki Kimura Okafor Mensah Adeyemi Nwosu Patel Sharma Gupta Reddy Iyer Ivanova
Petrov Smirnov Garcia Martinez Rodriguez Lopez Gonzalez Hernandez Perez Sanchez Ramirez Torres Flores Rivera Gomez
Diaz Reyes Morales Cruz Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza Castillo Jimenez Moreno Romero Herrera
Medina Aguilar Vargas Castro Guzman Fernandez Munoz Smith Brown Williams Jones Miller Davis Anderson Taylor Thomas
Moore Jackson Martin Lee White Harris Clark Lewis Robinson Walker Young King Wright Scott Green Baker Adams Nelson
Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers
Morgan Peterson Cooper Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James
Hughes Price Sanders Myers Long Ross Foster Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann
Koch Richter Klein Wolf Neumann Schwarz Zimmermann Braun Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann`
  .split(/\s+/)
  .filter(Boolean);
const DEPARTMENTS = `Engineering Finance Legal Marketing Sales Human Resources Facilities Research Radiology Cardiology
Pediatrics Pharmacy Admissions Library Athletics Chemistry Physics Mathematics History Philosophy Operations Security
Procurement Communications Design Support Logistics Compliance Nursing Emergency`
  .split(/\n/)
  .flatMap((l) => l.split(' '))
  .filter(Boolean);

/** Mulberry32: a small seeded PRNG, so the directory is the same on every run. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticDirectory(n: number, seed = 42): { recipients: RecipientRow[]; departments: DepartmentRow[] } {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const departments: DepartmentRow[] = DEPARTMENTS.map((name, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name,
    version: 1,
    deletedAt: null,
  }));
  const recipients: RecipientRow[] = [];
  for (let i = 0; i < n; i++) {
    const first = pick(FIRST);
    const last = rand() < 0.08 ? `${pick(LAST)}-${pick(LAST)}` : pick(LAST);
    const middle = rand() < 0.2 ? ` ${String.fromCharCode(65 + Math.floor(rand() * 26))}.` : '';
    const name = `${first}${middle} ${last}`;
    const email = rand() < 0.9 ? `${first}.${last}${i % 7 === 0 ? i : ''}@example.org`.toLowerCase() : null;
    recipients.push({
      id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name,
      email,
      phone: null,
      employeeId: rand() < 0.8 ? `E${String(100000 + i)}` : null,
      departmentId: rand() < 0.85 ? pick(departments).id : null,
      defaultLocationId: null,
      notes: null,
      notifyEmail: true,
      notifySms: false,
      version: 1,
      deletedAt: null,
    });
  }
  return { recipients, departments };
}

/** A typo a person makes: a swapped pair, a wrong letter, a missing letter or a doubled one. */
export function typo(word: string, kind: 'transpose' | 'substitute' | 'delete' | 'insert', rand: () => number): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(rand() * (word.length - 2));
  switch (kind) {
    case 'transpose':
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 'substitute': {
      const c = word[i] === 'e' ? 'a' : 'e';
      return word.slice(0, i) + c + word.slice(i + 1);
    }
    case 'delete':
      return word.slice(0, i) + word.slice(i + 1);
    case 'insert':
      return word.slice(0, i) + word[i] + word.slice(i);
  }
}
