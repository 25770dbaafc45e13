/** A backtest's input is wrong: `field` names what (data, window, strategy, params, sweep, …), the message what was expected. */
export class BacktestInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "BacktestInputError";
  }
}
