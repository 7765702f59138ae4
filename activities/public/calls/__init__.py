"""The public pages of calls and awards (under /calls/): the open calls and
each call's page, the submission form with drafts, an applicant's own
submissions and their status, the finalists and winners of published cycles,
the case library; and the jurors' pages (under /calls/review/)."""
