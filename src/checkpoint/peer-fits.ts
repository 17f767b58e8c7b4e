// The schema of the statistical peers' stored fits (src/data/peer-fits.ts), part of a forecaster's fitted state in
// the model card: a field that is not a finite number where one is expected names its JSON path when the card loads.
import { z } from 'zod';
import type { ArimaFit, EtsFit, PeerFits, SeriesPeerFits, Skipped, ThetaFit } from '../data/peer-fits.js';

const finite = () => z.number().finite();
const finites = () => z.array(finite());
const skipped = z.object({ skipped: z.string() }).strict() satisfies z.ZodType<Skipped>;

const thetaFit = z
  .object({ alpha: finite(), level0: finite(), drift: finite(), figure: finites().min(1) })
  .strict() satisfies z.ZodType<ThetaFit>;

const etsFit = z
  .object({
    model: z
      .object({
        error: z.enum(['A', 'M']),
        trend: z.enum(['N', 'A']),
        damped: z.boolean(),
        season: z.enum(['N', 'A', 'M']),
        m: z.number().int().positive(),
      })
      .strict(),
    alpha: finite(),
    beta: finite(),
    gamma: finite(),
    phi: finite(),
    level: finite(),
    slope: finite(),
    season: finites(),
    from: z.number().int().nonnegative(),
  })
  .strict()
  .refine((f) => f.season.length === f.model.m, { message: 'season must hold model.m values', path: ['season'] });

const arimaFit = z
  .object({
    ar: finites(),
    ma: finites(),
    sar: finites(),
    sma: finites(),
    d: z.number().int().nonnegative(),
    D: z.number().int().nonnegative(),
    m: z.number().int().positive(),
    mean: finite(),
    n: z.number().int().positive(),
  })
  .strict() satisfies z.ZodType<ArimaFit>;

/** A fit, or why there is none: checked against the one its keys say it is, so an error names the field. */
function orSkipped<T>(fit: z.ZodType<T>): z.ZodType<T | Skipped> {
  return z.unknown().transform((value, ctx) => {
    const isSkipped = typeof value === 'object' && value !== null && 'skipped' in value;
    const parsed = (isSkipped ? skipped : fit).safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path });
    return z.NEVER;
  });
}

const seriesPeerFits = z
  .object({
    series: z.string(),
    target: z.string(),
    rows: z.number().int().nonnegative(),
    hash: z.string().regex(/^[0-9a-f]{8}$/),
    theta: orSkipped(thetaFit),
    ets: orSkipped<EtsFit>(etsFit),
    arima: orSkipped(arimaFit),
  })
  .strict() satisfies z.ZodType<SeriesPeerFits>;

export const peerFitsSchema = z
  .object({ season: z.number().int().positive(), fits: z.array(seriesPeerFits) })
  .strict() satisfies z.ZodType<PeerFits>;
