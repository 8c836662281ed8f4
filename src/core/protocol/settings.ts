/** The extension's settings, as the popup labels them and not-evaluated reasons name them. */
export const KEYS_SETTING_LABEL = "Fetch the issuer's keys to verify signatures";
