/** One problem (blocking: the copy or the switch would fail) or note, with the fix. */
export interface DoctorFinding {
  readonly blocking: boolean;
  readonly message: string;
  readonly fix: string;
}
