/**
 * One case a person closed, as a feedback store holds it (serving's SQLite file, the AWS stack's DynamoDB table):
 * the labels confirmed (merged per task over later corrections) and, from the prediction they judged, what
 * mailroute knew of the email. The material of next month's training data (training's feedback file) and of the
 * live-quality report.
 */
export interface ConfirmedCase {
  emailId: string;
  /** Per task: the confirmed label. Tasks the feedback did not name are absent. */
  labels: Record<string, string>;
  closedAt: string;
  /** The prediction judged: the one the feedback named, else the email's newest. Absent when none is kept (pruned, or feedback before any). */
  predictionId?: string;
  modelId?: string;
  /** When mailroute classified the email (the CRM posts new mail at once: about when it arrived). */
  classifiedAt?: string;
  /** The PII-masked subject and body, when the server ran with `--store-text`. */
  text?: string;
  /** With the text, the email's bank and receivedAt as the CRM sent them (absent when it sent none, or before data version 2). */
  bank?: string;
  receivedAt?: string;
  /** With the text, the email's attachment names, masked as the text (absent when it had none, or before data version 3). */
  attachmentNames?: string[];
  /**
   * The judged prediction was answered as automated (an auto-reply, a bounce): its kind. Absent for the others, and for
   * predictions stored before data version 3 (the server did not tell them apart then).
   */
  automated?: string;
  /** What the judged prediction said, per task: its label, calibrated confidence and whether it abstained (absent when no prediction is paired, as `predictionId`). */
  predicted?: { labels: Record<string, string>; confidences: Record<string, number | null>; abstained: Record<string, boolean> };
}
