/** A demo option out of its range: names the option and what it takes. */
export class DemoError extends Error {
  constructor(
    readonly field: string,
    expected: string,
  ) {
    super(`${field}: ${expected}`);
    this.name = "DemoError";
  }
}
