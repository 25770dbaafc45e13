import { readFileSync } from "node:fs";

/** A recorded data file is missing, or a row lacks a column or holds a value of the wrong form. */
export class DataFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "DataFileError";
    this.file = file;
  }
}

function splitQuoted(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/**
 * One CSV file's rows with typed accessors that fail naming the file, the line and the column. Quoted cells
 * (raw.csv's topic lists contain commas) follow RFC 4180.
 */
export class CsvFile {
  readonly path: string;
  readonly header: readonly string[];
  private readonly lines: string[];
  private readonly index = new Map<string, number>();

  constructor(path: string, requiredColumns: readonly string[]) {
    this.path = path;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw new DataFileError(
        path,
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    this.lines = text.split(/\r?\n/);
    if (this.lines.at(-1) === "") this.lines.pop();
    if (this.lines.length === 0) throw new DataFileError(path, "is empty: expected a header line");
    this.header = splitQuoted(this.lines[0]!).map((name) => name.trim());
    this.header.forEach((name, i) => this.index.set(name, i));
    const missing = requiredColumns.filter((name) => !this.index.has(name));
    if (missing.length > 0) {
      throw new DataFileError(
        path,
        `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (header: ${this.header.join(", ")})`,
      );
    }
  }

  get rowCount(): number {
    return this.lines.length - 1;
  }

  /** Cells of data row `row` (0-based, the header excluded). */
  row(row: number): CsvRow {
    const line = this.lines[row + 1]!;
    const cells = line.includes('"') ? splitQuoted(line) : line.split(",");
    return new CsvRow(this, row + 2, cells);
  }

  columnIndex(name: string): number {
    return this.index.get(name)!;
  }
}

export class CsvRow {
  constructor(
    private readonly file: CsvFile,
    /** 1-based line number in the file, for messages. */
    readonly line: number,
    private readonly cells: readonly string[],
  ) {}

  private fail(column: string, expected: string, value: string): never {
    throw new DataFileError(
      this.file.path,
      `line ${this.line}, column ${column}: expected ${expected}, got ${JSON.stringify(value)}`,
    );
  }

  text(column: string): string {
    const value = this.cells[this.file.columnIndex(column)];
    if (value === undefined) this.fail(column, "a value", "(the row ends early)");
    return value;
  }

  optionalText(column: string): string | null {
    const value = this.cells[this.file.columnIndex(column)];
    return value === undefined || value === "" ? null : value;
  }

  bigint(column: string): bigint {
    const value = this.text(column);
    if (!/^-?\d+$/.test(value)) this.fail(column, "an integer", value);
    return BigInt(value);
  }

  /** An integer that the file may write as a float ("199045.0"); anything with a fraction is refused. */
  integer(column: string): number {
    const value = this.text(column);
    if (!/^-?\d+(\.0+)?$/.test(value)) this.fail(column, "an integer", value);
    const n = Number(value);
    if (!Number.isSafeInteger(n)) this.fail(column, "a safe integer", value);
    return n;
  }

  optionalInteger(column: string): number | null {
    return this.optionalText(column) === null ? null : this.integer(column);
  }

  optionalBigint(column: string): bigint | null {
    return this.optionalText(column) === null ? null : this.bigint(column);
  }

  number(column: string): number {
    const value = this.text(column);
    const n = Number(value);
    if (value === "" || !Number.isFinite(n)) this.fail(column, "a number", value);
    return n;
  }

  /** "2024-01-05 00:00:23" (UTC, as the files write it) or an ISO date, as Unix seconds. */
  timestamp(column: string): number {
    const value = this.text(column);
    const ms = Date.parse(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value) ? `${value.replace(" ", "T")}Z` : value,
    );
    if (!Number.isFinite(ms)) this.fail(column, 'a UTC date "YYYY-MM-DD hh:mm:ss"', value);
    return ms / 1000;
  }

  hex(column: string): `0x${string}` {
    const value = this.text(column);
    if (!/^0x[0-9a-fA-F]*$/.test(value)) this.fail(column, "a 0x-prefixed hex string", value);
    return value as `0x${string}`;
  }
}
