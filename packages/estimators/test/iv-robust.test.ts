import { describe, expect, it } from 'vitest';
import { instrumentalVariables, ivRobust } from '../src/iv-robust.js';
import { caseData, estimatrCases, expectRows } from './cases.js';
import { expectClose } from './fixtures.js';

// Expected values: estimatr::iv_robust(diagnostics = TRUE), lm_robust for the ITT and first stage, and the
// Anderson–Rubin set found in R by uniroot on |t| of lm_robust(y − τd ~ z + covs) (fixtures/make-fixtures.R §3.4).
describe('iv_robust against estimatr 1.0.0', () => {
  for (const c of estimatrCases.filter((x) => x.call === 'iv_robust')) {
    it(c.name, () => {
      const data = caseData(c);
      const covariates = (c.args.covariates ?? []).map((name) => ({ name, values: data.numeric(name) }));
      const common = {
        ...(c.args.se === undefined ? {} : { seType: c.args.se }),
        ...(c.args.cluster === undefined ? {} : { cluster: data.grouping(c.args.cluster) }),
      };
      const iv = ivRobust({
        outcome: data.numeric('y'),
        endogenous: [{ name: 'd', values: data.numeric('d') }],
        instruments: [{ name: 'z', values: data.numeric('z') }],
        exogenous: covariates,
        ...common,
      });
      const e = c.expected!;
      expectRows(iv.terms, e.terms, c.name);
      const f = iv.firstStageF[0]!;
      expectClose(f.value, e.first_stage_f!.value, 1e-8, 0, 'first-stage F');
      expect(f.numdf).toBe(e.first_stage_f!.numdf);
      expect(f.dendf).toBe(e.first_stage_f!.dendf);
      expectClose(f.pValue, e.first_stage_f!.p_value, 1e-8, 0, 'first-stage F p');
      expect(iv.diagnostics.some((d) => d.code === 'EST_WEAK_INSTRUMENT')).toBe(e.first_stage_f!.value < 10);

      const withoutF = ivRobust({
        outcome: data.numeric('y'),
        endogenous: [{ name: 'd', values: data.numeric('d') }],
        instruments: [{ name: 'z', values: data.numeric('z') }],
        exogenous: covariates,
        ...common,
        diagnostics: false,
      });
      expect(withoutF.firstStageF).toHaveLength(0);
      expectRows(withoutF.terms, e.terms, `${c.name} (diagnostics = FALSE)`);

      const bundle = instrumentalVariables({
        outcome: { name: 'y', values: data.numeric('y') },
        assignment: { name: 'z', values: data.numeric('z') },
        received: { name: 'd', values: data.numeric('d') },
        covariates,
        ...common,
      });
      expectRows(bundle.itt.terms, e.itt_terms!, `${c.name} ITT`);
      expectRows(bundle.firstStage.terms, e.first_stage_terms!, `${c.name} first stage`);
      expectRows(bundle.cace.terms, e.terms, `${c.name} CACE`);
      const ar = e.anderson_rubin!;
      expectClose(bundle.andersonRubin.critical, ar.critical, 1e-10, 0, 'AR critical value');
      expect(bundle.andersonRubin.shape).toBe(ar.type);
      if (ar.type === 'interval' || ar.type === 'two-rays') {
        // uniroot's tolerance is 1e-13 absolute; roots compared at 1e-8 relative.
        expectClose(bundle.andersonRubin.lower, ar.roots![0]!, 1e-8, 1e-12, 'AR lower');
        expectClose(bundle.andersonRubin.upper, ar.roots![1]!, 1e-8, 1e-12, 'AR upper');
      }
      expect(bundle.diagnostics.some((d) => d.code === 'EST_AR_SET_UNBOUNDED')).toBe(ar.type !== 'interval');
    });
  }
});
