/** Slack's Block Kit limits that the renderer stays inside (api.slack.com/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  /** A confirmation dialog's title, text and buttons. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** chat.postMessage `text`; Slack truncates past 40,000 and rejects far beyond. */
  fallbackText: 40_000,
} as const;

/** Kept well under the fallback limit: it is a notification preview, not the message. */
export const FALLBACK_TEXT_BUDGET = 3000;
