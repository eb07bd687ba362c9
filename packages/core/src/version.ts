/** trialkit's version, recorded in allocation metadata and report provenance. */
export const TRIALKIT_VERSION = '0.1.0';
