/** Teaching text for one check: plain sentences, no markup (rendered as text). */
export interface CheckExplanation {
  /** The attack, in two or three plain sentences. */
  why: string;
  /** How to fix it. */
  fix: string;
}
