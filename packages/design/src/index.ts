/** @trialkit/design — power, sample size and minimum detectable effect (README.md). */
export {};
