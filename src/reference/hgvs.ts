/**
 * HGVS syntax checks for the forms the panel uses (not a full HGVS grammar):
 * protein one-letter substitutions (`p.D538G`, `p.R233*`), and coding DNA substitutions or
 * delins on a versioned RefSeq transcript (`NM_000125.4:c.1613A>G`, `...:c.1607_1608delinsAG`).
 */
export const HGVS_P_ONE_LETTER = /^p\.([ACDEFGHIKLMNPQRSTVWY])(\d+)([ACDEFGHIKLMNPQRSTVWY*])$/;
export const HGVS_C_SUBSTITUTION = /^(N[MR]_\d+\.\d+):c\.(\d+)([ACGT])>([ACGT])$/;
export const HGVS_C_DELINS = /^(N[MR]_\d+\.\d+):c\.(\d+)_(\d+)delins([ACGT]+)$/;

const THREE_TO_ONE: Record<string, string> = {
  Ala: 'A',
  Arg: 'R',
  Asn: 'N',
  Asp: 'D',
  Cys: 'C',
  Gln: 'Q',
  Glu: 'E',
  Gly: 'G',
  His: 'H',
  Ile: 'I',
  Leu: 'L',
  Lys: 'K',
  Met: 'M',
  Phe: 'F',
  Pro: 'P',
  Ser: 'S',
  Thr: 'T',
  Trp: 'W',
  Tyr: 'Y',
  Val: 'V',
  Ter: '*',
};

/**
 * Normalise a protein change to the panel's one-letter form `p.D538G`: accepts `D538G`,
 * `p.D538G`, `p.Asp538Gly`, `p.(Asp538Gly)`, `p.R233Ter`, `p.R233X`. Returns undefined when the
 * text is not a simple substitution.
 */
export function normaliseProtein(text: string): string | undefined {
  let t = text.trim();
  if (t.startsWith('p.')) t = t.slice(2);
  if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
  const three = /^([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2}|\*)$/.exec(t);
  if (three) {
    const from = THREE_TO_ONE[three[1]];
    const to = three[3] === '*' ? '*' : THREE_TO_ONE[three[3]];
    if (!from || !to) return undefined;
    return `p.${from}${three[2]}${to}`;
  }
  const one = /^([ACDEFGHIKLMNPQRSTVWY])(\d+)([ACDEFGHIKLMNPQRSTVWY*X])$/.exec(t.toUpperCase());
  if (one) return `p.${one[1]}${one[2]}${one[3] === 'X' ? '*' : one[3]}`;
  return undefined;
}

/** Codon number and reference amino acid of a one-letter protein change. */
export function proteinCodon(protein: string): { refAa: string; codon: number; altAa: string } | undefined {
  const m = HGVS_P_ONE_LETTER.exec(protein);
  if (!m) return undefined;
  return { refAa: m[1], codon: Number(m[2]), altAa: m[3] };
}

/** Parsed coding change: the first and last CDS positions touched, reference and alternate bases. */
export interface CodingChange {
  transcript: string;
  cdsStart: number;
  cdsEnd: number;
  /** Reference CDS bases when the notation states them (substitutions), else undefined. */
  refBases: string | undefined;
  altBases: string;
}

export function parseCoding(cdna: string): CodingChange | undefined {
  const sub = HGVS_C_SUBSTITUTION.exec(cdna);
  if (sub) {
    const pos = Number(sub[2]);
    return { transcript: sub[1], cdsStart: pos, cdsEnd: pos, refBases: sub[3], altBases: sub[4] };
  }
  const delins = HGVS_C_DELINS.exec(cdna);
  if (delins) {
    return {
      transcript: delins[1],
      cdsStart: Number(delins[2]),
      cdsEnd: Number(delins[3]),
      refBases: undefined,
      altBases: delins[4],
    };
  }
  return undefined;
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };

export function reverseComplement(seq: string): string {
  let out = '';
  for (let i = seq.length - 1; i >= 0; i--) out += COMPLEMENT[seq[i]] ?? 'N';
  return out;
}
