/**
 * What a user does when a response body the checks need was not captured:
 * one sentence, shared by every "not evaluated" reason that needs a body.
 * Chrome reads bodies only with the optional debugger permission (or DevTools
 * open, for requests made after it opened); a HAR holds them only when saved
 * with content.
 */
export const BODY_HINT =
  'In Chrome, grant “Read token responses” (OAuth Lens popup or panel; if it is granted, another debugger may hold the tab) and run the login again; a HAR must be saved with its response content.';
