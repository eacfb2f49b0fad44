/** An amount in đồng as people read it in Vietnamese (1.400.000 đ): for notices and the sandbox's page, which speak Vietnamese first. */
export function formatVnd(amountVnd: number): string {
  return `${amountVnd.toLocaleString('vi-VN', { maximumFractionDigits: 0 })} đ`;
}
