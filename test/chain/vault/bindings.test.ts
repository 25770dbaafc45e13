import { readFile } from "node:fs/promises";

import { expect } from "chai";

import { vaultAbiSource } from "../../../src/chain/vault/abiSource.js";
import {
  defaultVaultParams,
  InvalidVaultParamError,
  validateVaultParams,
} from "../../../src/chain/vault/params.js";
import { centeredRebalance, floorTick } from "../../../src/chain/vault/rebalanceParams.js";

describe("vault TypeScript bindings", function () {
  it("src/chain/vault/abi.ts matches the compiled contracts (run `npm run gen:vault-abi` after a change)", async function () {
    const committed = await readFile(new URL("../../../src/chain/vault/abi.ts", import.meta.url), "utf8");
    expect(committed === (await vaultAbiSource()), "abi.ts is out of date").to.equal(true);
  });

  it("refuses parameters outside the vault's hard bounds, naming the field", function () {
    const ok = defaultVaultParams(60);
    expect(() => validateVaultParams(ok, 60, 1000)).not.to.throw();
    const cases: [Partial<typeof ok>, number, string][] = [
      [{ twapWindow: 30 }, 0, "twapWindow"],
      [{ maxTwapDeviation: 600 }, 0, "maxTwapDeviation"],
      [{ minBaseWidth: 60 }, 0, "minBaseWidth"],
      [{ maxLossPerRebalanceBps: 300 }, 0, "maxLossPerRebalanceBps"],
      [{ lossWindow: 10 }, 0, "lossWindow"],
      [{}, 2001, "protocolFeeBps"],
    ];
    for (const [change, fee, field] of cases) {
      const err = (() => {
        try {
          validateVaultParams({ ...ok, ...change }, 60, fee);
        } catch (e) {
          return e;
        }
      })();
      expect(err, field).to.be.instanceOf(InvalidVaultParamError);
      expect((err as InvalidVaultParamError).field).to.equal(field);
      expect((err as Error).message).to.match(new RegExp(`${field} = .* expected an integer in \\[`));
    }
  });

  it("builds Charm-style centred requests with ticks floored towards negative infinity", function () {
    expect(floorTick(-1, 60)).to.equal(-60);
    expect(floorTick(59, 60)).to.equal(0);
    const r = centeredRebalance({
      tick: -61,
      tickSpacing: 60,
      baseHalfWidth: 600,
      limitWidth: 120,
      deadline: 9n,
    });
    expect([r.baseLower, r.baseUpper, r.expectedTick, r.swapAmountIn]).to.deep.equal([-720, 480, -61, 0n]);
  });
});
