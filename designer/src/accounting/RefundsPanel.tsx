/**
 * Refund claims of one collecting agency (Circular 01 Art. 29–30; docs/payments.md "Refunds"),
 * for the accountant's page: the list, paged; the preparation form for an official holding "Lập
 * chứng từ hoàn trả khoản thu NSNN" (Art. 30.2.a); approve and reject for one holding "Duyệt chứng
 * từ hoàn trả" (Art. 30.2.b), never on a claim they prepared (the server refuses it too). Amounts are
 * typed and shown the way the language writes them (1.400.000 đ).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Membership } from '../../../server/identity/roles.ts';
import type { RefundView } from '../../../server/payments/refunds.ts';
import { apiJson, type Problem } from '../api-client.ts';
import type { Page } from '../api.ts';
import { formatDateTime, formatVnd } from '../format.ts';
import type { Language } from '../i18n.ts';
import { readLocalisedNumber } from '../modeler/localised-number.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';

export interface RefundsPanelProps {
  agencyCode: string;
  language: Language;
  /** The signed-in official (GET /api/session): whose functions decide the buttons shown. */
  account: { id: string; memberships: readonly Membership[] };
}

const messages = {
  title: { vi: 'Hoàn trả phí, lệ phí', en: 'Refunds of fees and charges' },
  intro: { vi: 'Thông tư 01/2023/TT-VPCP Điều 29–30: người lập và người duyệt chứng từ hoàn trả là hai người khác nhau.', en: 'Circular 01/2023 Art. 29–30: the documents are prepared and approved by two different officials.' },
  prepareTitle: { vi: 'Lập chứng từ hoàn trả', en: 'Prepare a refund' },
  transactionCode: { vi: 'Mã giao dịch', en: 'Transaction code' },
  reason: { vi: 'Lý do', en: 'Reason' },
  'mistaken-payment': { vi: 'Nộp nhầm', en: 'Mistaken payment' },
  overpayment: { vi: 'Nộp thừa', en: 'Overpayment' },
  other: { vi: 'Lý do khác', en: 'Other' },
  amount: { vi: 'Số tiền hoàn trả (đ)', en: 'Amount to refund (VND)' },
  amountInvalid: { vi: 'Số tiền phải là số nguyên đồng lớn hơn 0', en: 'The amount must be a whole number of đồng above 0' },
  explanation: { vi: 'Diễn giải', en: 'Explanation' },
  agreement: { vi: 'Văn bản đồng ý của cơ quan thu (nếu chứng từ đã gửi, Điều 29.1)', en: "The collecting agency's agreement (when the documents were sent, Art. 29.1)" },
  prepare: { vi: 'Lập chứng từ', en: 'Prepare' },
  status: { vi: 'Trạng thái', en: 'Status' },
  all: { vi: 'Tất cả', en: 'All' },
  refresh: { vi: 'Tải lại', en: 'Refresh' },
  more: { vi: 'Xem thêm', en: 'Show more' },
  none: { vi: 'Chưa có đề nghị hoàn trả nào.', en: 'No refund claims yet.' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  payer: { vi: 'Người nộp', en: 'Payer' },
  paid: { vi: 'Đã nộp', en: 'Paid' },
  preparedBy: { vi: 'Người lập', en: 'Prepared by' },
  decidedBy: { vi: 'Người duyệt', en: 'Decided by' },
  actions: { vi: 'Thao tác', en: 'Actions' },
  approve: { vi: 'Duyệt và gửi', en: 'Approve and send' },
  reject: { vi: 'Từ chối', en: 'Reject' },
  rejectReason: { vi: 'Lý do từ chối', en: 'Reason for rejecting' },
  confirmReject: { vi: 'Xác nhận từ chối', en: 'Confirm rejection' },
  cancel: { vi: 'Huỷ', en: 'Cancel' },
  sendAgain: { vi: 'Gửi lại lệnh hoàn trả', en: 'Send the order again' },
  ownClaim: { vi: 'Bạn đã lập: cần cán bộ khác duyệt', en: 'You prepared it: another official approves' },
  s_prepared: { vi: 'Chờ duyệt', en: 'Awaiting approval' },
  s_approved: { vi: 'Đã duyệt, chưa gửi được', en: 'Approved, not sent yet' },
  s_rejected: { vi: 'Bị từ chối', en: 'Rejected' },
  s_sent: { vi: 'Đã gửi, chờ kết quả', en: 'Sent, awaiting the outcome' },
  s_succeeded: { vi: 'Hoàn trả thành công', en: 'Refunded' },
  s_failed: { vi: 'Hoàn trả không thành công', en: 'Refund failed' },
} satisfies Record<string, Record<Language, string>>;
type Message = keyof typeof messages;

const REASONS = ['mistaken-payment', 'overpayment', 'other'] as const;
const STATUSES = ['prepared', 'approved', 'rejected', 'sent', 'succeeded', 'failed'] as const;
const statusKey = (status: string) => `s_${status}` as Message;

export function RefundsPanel({ agencyCode, language, account }: RefundsPanelProps) {
  const t = (key: Message) => messages[key][language];
  const holds = (fn: Membership['function']) => account.memberships.some((membership) => membership.agencyCode === agencyCode && membership.function === fn);
  const canPrepare = holds('lap-hoan-tra');
  const canApprove = holds('duyet-hoan-tra');

  const [claims, setClaims] = useState<RefundView[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [statusFilter, setStatusFilter] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (cursor?: string) => {
    const query = new URLSearchParams({ agency: agencyCode, limit: '20', ...(statusFilter ? { status: statusFilter } : {}), ...(cursor ? { cursor } : {}) });
    try {
      const page = await apiJson<Page<RefundView>>(`/api/payments/refunds?${query.toString()}`, { language });
      setClaims((shown) => (cursor && shown ? [...shown, ...page.items] : page.items));
      setNext(page.next);
    } catch (failure) {
      setProblem(problemOf(failure));
    }
  }, [agencyCode, language, statusFilter]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Runs a write, then reloads the list; whether the server took it (its refusal is shown). */
  const act = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
      await load();
      return true;
    } catch (failure) {
      setProblem(problemOf(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const [rejecting, setRejecting] = useState<string | undefined>();
  const [rejectReason, setRejectReason] = useState('');
  const decide = (id: string, decision: 'approve' | 'reject' | 'send') =>
    act(() => apiJson(`/api/payments/refunds/${id}/${decision}`, { language, json: decision === 'reject' ? { reason: rejectReason.trim() } : {} }).then(() => {
      setRejecting(undefined);
      setRejectReason('');
    }));

  return (
    <section className="refunds-panel" aria-labelledby="refunds-title" data-testid="refunds-panel">
      <style>{'.refunds-table th, .refunds-table td { padding: 0.3rem 0.5rem; text-align: left; } .refunds-table th { white-space: nowrap; }'}</style>
      <h2 id="refunds-title">{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      {canPrepare ? <PrepareForm language={language} t={t} busy={busy} onPrepare={(body) => act(() => apiJson('/api/payments/refunds', { language, json: body }))} /> : null}
      {problem ? <ProblemNotice problem={problem} language={language} testId="refunds-problem" /> : null}

      <div style={{ display: 'flex', gap: '0.75rem', alignItems: 'end', margin: '0.75rem 0' }}>
        <label>
          {t('status')}{' '}
          <select value={statusFilter} onChange={(event) => setStatusFilter(event.target.value)}>
            <option value="">{t('all')}</option>
            {STATUSES.map((status) => <option key={status} value={status}>{t(statusKey(status))}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void load()} disabled={busy}>{t('refresh')}</button>
      </div>

      {claims === undefined ? <p className="muted">{t('loading')}</p> : claims.length === 0 ? <p className="muted">{t('none')}</p> : (
        <table className="refunds-table" style={{ width: '100%', borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              <th scope="col">{t('transactionCode')}</th>
              <th scope="col">{t('payer')}</th>
              <th scope="col">{t('amount')}</th>
              <th scope="col">{t('reason')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('preparedBy')}</th>
              <th scope="col">{t('decidedBy')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {claims.map((claim) => (
              <tr key={claim.id} data-testid="refund-row" data-status={claim.status} style={{ borderTop: '1px solid #d9dee3', verticalAlign: 'top' }}>
                <td><code>{claim.transactionCode}</code><br /><span className="muted">{claim.revenueIdentifier}</span></td>
                <td>{claim.payerName}</td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  {formatVnd(claim.amountVnd, language)}<br /><span className="muted">{t('paid')} {formatVnd(claim.paidAmountVnd, language)}</span>
                </td>
                <td>{t(claim.reason)}: {claim.explanation}{claim.agencyAgreement ? <><br /><span className="muted">{claim.agencyAgreement}</span></> : null}</td>
                <td>{t(statusKey(claim.status))}{claim.rejectionReason ? <><br /><span className="muted">{claim.rejectionReason}</span></> : null}</td>
                <td>{claim.preparedBy}<br /><span className="muted">{formatDateTime(claim.preparedAt)}</span></td>
                <td>{claim.decidedBy ?? '—'}{claim.decidedAt ? <><br /><span className="muted">{formatDateTime(claim.decidedAt)}</span></> : null}</td>
                <td>
                  {claim.status === 'prepared' && canApprove && claim.preparedByAccount === account.id ? <span className="muted">{t('ownClaim')}</span> : null}
                  {claim.status === 'prepared' && canApprove && claim.preparedByAccount !== account.id ? (
                    rejecting === claim.id ? (
                      <form onSubmit={(event) => { event.preventDefault(); if (rejectReason.trim()) void decide(claim.id, 'reject'); }}>
                        <label>{t('rejectReason')} <input value={rejectReason} onChange={(event) => setRejectReason(event.target.value)} required autoFocus maxLength={2000} /></label>{' '}
                        <button type="submit" disabled={busy || !rejectReason.trim()}>{t('confirmReject')}</button>{' '}
                        <button type="button" onClick={() => setRejecting(undefined)}>{t('cancel')}</button>
                      </form>
                    ) : (
                      <>
                        <button type="button" disabled={busy} onClick={() => void decide(claim.id, 'approve')}>{t('approve')}</button>{' '}
                        <button type="button" disabled={busy} onClick={() => setRejecting(claim.id)}>{t('reject')}</button>
                      </>
                    )
                  ) : null}
                  {claim.status === 'approved' && canApprove ? <button type="button" disabled={busy} onClick={() => void decide(claim.id, 'send')}>{t('sendAgain')}</button> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? <button type="button" onClick={() => void load(next)}>{t('more')}</button> : null}
    </section>
  );
}

interface PrepareBody {
  transactionCode: string;
  reason: (typeof REASONS)[number];
  amountVnd: number;
  explanation: string;
  agencyAgreement?: string;
}

function PrepareForm({ language, t, busy, onPrepare }: { language: Language; t: (key: Message) => string; busy: boolean; onPrepare: (body: PrepareBody) => Promise<boolean> }) {
  const [transactionCode, setTransactionCode] = useState('');
  const [reason, setReason] = useState<PrepareBody['reason']>('overpayment');
  const [amount, setAmount] = useState('');
  const [explanation, setExplanation] = useState('');
  const [agreement, setAgreement] = useState('');
  const [amountError, setAmountError] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const read = readLocalisedNumber(amount, language);
    if (!read.ok) return setAmountError(read.error[language]);
    if (read.value === undefined || !Number.isInteger(read.value) || read.value < 1) return setAmountError(t('amountInvalid'));
    setAmountError(undefined);
    if (!(await onPrepare({ transactionCode: transactionCode.trim(), reason, amountVnd: read.value, explanation: explanation.trim(), ...(agreement.trim() ? { agencyAgreement: agreement.trim() } : {}) }))) return;
    setTransactionCode('');
    setAmount('');
    setExplanation('');
    setAgreement('');
  };

  const field = { display: 'flex', flexDirection: 'column', gap: '0.2rem' } as const;
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="refunds-prepare-title" data-testid="refunds-prepare" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(14rem, 1fr))', gap: '0.5rem 1rem', padding: '0.75rem', border: '1px solid #d9dee3', borderRadius: 4 }}>
      <h3 id="refunds-prepare-title" style={{ gridColumn: '1 / -1', margin: 0 }}>{t('prepareTitle')}</h3>
      <label style={field}>{t('transactionCode')}<input value={transactionCode} onChange={(event) => setTransactionCode(event.target.value)} required maxLength={100} placeholder="G22.99.2-261206000001" /></label>
      <label style={field}>{t('reason')}
        <select value={reason} onChange={(event) => setReason(event.target.value as PrepareBody['reason'])}>
          {REASONS.map((value) => <option key={value} value={value}>{t(value)}</option>)}
        </select>
      </label>
      <label style={field}>{t('amount')}<input value={amount} onChange={(event) => setAmount(event.target.value)} required inputMode="numeric" placeholder={language === 'vi' ? '1.400.000' : '1,400,000'} aria-invalid={amountError !== undefined} aria-describedby={amountError ? 'refunds-amount-error' : undefined} />
        {amountError ? <span id="refunds-amount-error" role="alert" className="ws-problem">{amountError}</span> : null}
      </label>
      <label style={{ ...field, gridColumn: '1 / -1' }}>{t('explanation')}<textarea value={explanation} onChange={(event) => setExplanation(event.target.value)} required maxLength={2000} rows={2} /></label>
      <label style={{ ...field, gridColumn: '1 / -1' }}>{t('agreement')}<input value={agreement} onChange={(event) => setAgreement(event.target.value)} maxLength={500} /></label>
      <div><button type="submit" disabled={busy}>{t('prepare')}</button></div>
    </form>
  );
}
