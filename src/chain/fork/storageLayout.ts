import { encodeAbiParameters, keccak256, stringToBytes, type Hex } from "viem";

/** solc's `storageLayout` output (https://docs.soliditylang.org/en/latest/internals/layout_in_storage.html). */
export interface StorageLayoutEntry {
  label: string;
  slot: string;
  offset: number;
  type: string;
}

export interface StorageLayoutType {
  encoding: "inplace" | "mapping" | "dynamic_array" | "bytes";
  label: string;
  numberOfBytes: string;
  members?: StorageLayoutEntry[];
  key?: string;
  value?: string;
  base?: string;
}

export interface StorageLayout {
  storage: StorageLayoutEntry[];
  types: Record<string, StorageLayoutType> | null;
}

/** Where a value lives: a slot, a byte offset inside it (packing) and its solc type id. */
export interface StorageLocation {
  slot: bigint;
  offset: number;
  type: string;
}

export class StorageLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StorageLayoutError";
  }
}

/**
 * Storage words of one contract being assembled from values, with every location computed from the compiler's
 * layout: variables, struct members, mapping entries (keccak of the ABI-encoded key and slot) and static array
 * elements, packed at the compiler's offsets. Writing a value (even zero) records its word, so a snapshot can
 * tell a slot known to be zero from one that was never recorded.
 */
export class StorageImage {
  readonly words = new Map<bigint, bigint>();

  constructor(
    private readonly layout: StorageLayout,
    private readonly contract: string,
  ) {}

  variable(label: string): StorageLocation {
    const entry = this.layout.storage.find((e) => e.label === label);
    if (entry === undefined)
      throw new StorageLayoutError(`${this.contract} has no state variable "${label}"`);
    return { slot: BigInt(entry.slot), offset: entry.offset, type: entry.type };
  }

  member(at: StorageLocation, label: string): StorageLocation {
    const entry = this.type(at.type).members?.find((m) => m.label === label);
    if (entry === undefined)
      throw new StorageLayoutError(`${this.contract}: ${at.type} has no member "${label}"`);
    return { slot: at.slot + BigInt(entry.slot), offset: entry.offset, type: entry.type };
  }

  mappingEntry(at: StorageLocation, key: bigint | Hex): StorageLocation {
    const mapping = this.type(at.type);
    if (mapping.encoding !== "mapping")
      throw new StorageLayoutError(`${this.contract}: ${at.type} is not a mapping`);
    const keyType = this.type(mapping.key!).label;
    const slot = keccak256(encodeAbiParameters([{ type: keyType }, { type: "uint256" }], [key, at.slot]));
    return { slot: BigInt(slot), offset: 0, type: mapping.value! };
  }

  arrayElement(at: StorageLocation, index: number): StorageLocation {
    const array = this.type(at.type);
    if (array.encoding !== "inplace" || array.base === undefined) {
      throw new StorageLayoutError(`${this.contract}: ${at.type} is not a static array`);
    }
    const size = Number(this.type(array.base).numberOfBytes);
    if (size >= 32)
      return { slot: at.slot + BigInt(index * Math.ceil(size / 32)), offset: 0, type: array.base };
    const perSlot = Math.floor(32 / size);
    return {
      slot: at.slot + BigInt(Math.floor(index / perSlot)),
      offset: (index % perSlot) * size,
      type: array.base,
    };
  }

  /** A value type (integer, address, bool) at its packed position; negative integers in two's complement. */
  set(at: StorageLocation, value: bigint | boolean | Hex): void {
    const type = this.type(at.type);
    if (type.encoding !== "inplace" || type.members !== undefined || type.base !== undefined) {
      throw new StorageLayoutError(`${this.contract}: ${at.type} is not a value type`);
    }
    const bits = Number(type.numberOfBytes) * 8;
    const raw = typeof value === "boolean" ? (value ? 1n : 0n) : BigInt(value);
    const fitted = BigInt.asUintN(bits, raw);
    if ((type.label.startsWith("int") ? BigInt.asIntN(bits, raw) : fitted) !== raw) {
      throw new StorageLayoutError(`${this.contract}: ${raw} does not fit ${type.label}`);
    }
    const shift = BigInt(at.offset * 8);
    const mask = ((1n << BigInt(bits)) - 1n) << shift;
    const word = this.words.get(at.slot) ?? 0n;
    this.words.set(at.slot, (word & ~mask) | (fitted << shift));
  }

  /** Every member of a struct; a missing member is an error rather than a silent zero. */
  setStruct(at: StorageLocation, values: Record<string, bigint | boolean | Hex>): void {
    for (const member of this.type(at.type).members ?? []) {
      const value = values[member.label];
      if (value === undefined)
        throw new StorageLayoutError(`${this.contract}: no value for ${at.type}.${member.label}`);
      this.set(this.member(at, member.label), value);
    }
  }

  /** A `string` of at most 31 bytes, stored in place with its length (times two) in the last byte. */
  setShortString(at: StorageLocation, text: string): void {
    const bytes = stringToBytes(text);
    if (this.type(at.type).encoding !== "bytes" || bytes.length > 31) {
      throw new StorageLayoutError(`${this.contract}: "${text}" is not a short string for ${at.type}`);
    }
    let word = BigInt(bytes.length * 2);
    bytes.forEach((byte, i) => (word |= BigInt(byte) << BigInt(8 * (31 - i))));
    this.words.set(at.slot, word);
  }

  private type(id: string): StorageLayoutType {
    const type = this.layout.types?.[id];
    if (type === undefined) throw new StorageLayoutError(`${this.contract}: the layout has no type ${id}`);
    return type;
  }
}
