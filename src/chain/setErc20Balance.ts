import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { encodeAbiParameters, erc20Abi, keccak256, numberToHex, pad, type Address, type Hex } from "viem";

export class Erc20BalanceSlotNotFoundError extends Error {
  constructor(token: Address, maxSlot: number) {
    super(
      `No balance mapping found for token ${token} in storage slots 0..${maxSlot} (Solidity and Vyper layouts); ` +
        `fund the account by impersonating a holder instead`,
    );
    this.name = "Erc20BalanceSlotNotFoundError";
  }
}

function mappingSlot(key: Address, slot: number, vyper: boolean): Hex {
  const types = [{ type: "address" }, { type: "uint256" }] as const;
  const vyperTypes = [{ type: "uint256" }, { type: "address" }] as const;
  return keccak256(
    vyper
      ? encodeAbiParameters(vyperTypes, [BigInt(slot), key])
      : encodeAbiParameters(types, [key, BigInt(slot)]),
  );
}

/**
 * Sets `account`'s balance of any plain ERC-20 on a simulated chain by writing its storage, for tokens
 * nobody can mint (real USDC, WBTC on a fork). The balance mapping's slot is found by probing: write a
 * marker, read `balanceOf`, restore. Total supply is left as is; use it for test balances only.
 */
export async function setErc20Balance(
  viem: HardhatViemHelpers,
  token: Address,
  account: Address,
  amount: bigint,
  maxSlot = 64,
): Promise<void> {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const balanceOf = () =>
    publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [account] });
  const probe = 0x5eed_0f_ba1a_ce5n;
  for (let slot = 0; slot <= maxSlot; slot++) {
    for (const vyper of [false, true]) {
      const index = mappingSlot(account, slot, vyper);
      const before = await publicClient.getStorageAt({ address: token, slot: index });
      await testClient.setStorageAt({ address: token, index, value: pad(numberToHex(probe), { size: 32 }) });
      if ((await balanceOf()) === probe) {
        await testClient.setStorageAt({
          address: token,
          index,
          value: pad(numberToHex(amount), { size: 32 }),
        });
        return;
      }
      await testClient.setStorageAt({ address: token, index, value: before ?? pad("0x0", { size: 32 }) });
    }
  }
  throw new Erc20BalanceSlotNotFoundError(token, maxSlot);
}
