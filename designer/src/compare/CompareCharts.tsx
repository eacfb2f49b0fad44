import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RestructuringAnalysis } from './compare-api.ts';
import { burdenByMeasure, costByItem, leadTime, type BeforeAfter } from './chart-data.ts';
import { formatNumber, formatVnd } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';

interface CompareChartsProps {
  analysis: RestructuringAnalysis;
  language: Language;
}

const BEFORE_COLOUR = '#9aa5b1';
const AFTER_COLOUR = '#2e7d32';

/** Before and after as bars: the cost by item, the burden of Art. 17.1.b–d, the lead time. */
export function CompareCharts({ analysis, language }: CompareChartsProps) {
  const t = (key: MessageKey) => translate(language, key);
  const vnd = (value: number) => formatVnd(value, language);
  const number = (value: number) => formatNumber(value, language);
  const compact = (value: number) => new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
  return (
    <div className="compare-charts">
      <Chart title={t('chartCostByItem')} data={costByItem(analysis, language)} axis={compact} tooltip={vnd} language={language} labelWidth={84} testId="chart-cost" />
      <Chart title={t('chartBurden')} data={burdenByMeasure(analysis, language)} axis={number} tooltip={number} language={language} labelWidth={60} testId="chart-burden" />
      <Chart title={t('chartLeadTime')} data={leadTime(analysis, language)} axis={number} tooltip={number} language={language} labelWidth={100} testId="chart-lead-time" />
    </div>
  );
}

interface ChartProps {
  title: string;
  data: BeforeAfter[];
  axis: (value: number) => string;
  tooltip: (value: number) => string;
  language: Language;
  /** Pixels a category's label may take before it wraps: about the width of its bar group. */
  labelWidth: number;
  testId: string;
}

function Chart({ title, data, axis, tooltip, language, labelWidth, testId }: ChartProps) {
  return (
    <figure className="compare-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          {/* A label wraps within its bar group rather than running into the next. */}
          <XAxis dataKey="label" tick={{ fontSize: 11, width: labelWidth }} interval={0} height={34} />
          <YAxis tickFormatter={axis} tick={{ fontSize: 11 }} width={56} />
          <Tooltip formatter={(value) => tooltip(Number(value))} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar dataKey="before" name={translate(language, 'before')} fill={BEFORE_COLOUR} isAnimationActive={false} />
          <Bar dataKey="after" name={translate(language, 'after')} fill={AFTER_COLOUR} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
