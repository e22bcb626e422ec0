/** Why the training job could not run, before or around the training itself (its own errors keep their codes). */
export type TrainingJobErrorCode =
  | 'TRAINING_JOB_HYPERPARAMETERS_INVALID'
  | 'TRAINING_JOB_CONFIG_MISSING'
  | 'TRAINING_JOB_NO_DATA'
  | 'TRAINING_JOB_UNREAD_DATA'
  | 'TRAINING_JOB_MODEL_DIR_NOT_EMPTY';

export class TrainingJobError extends Error {
  constructor(
    readonly code: TrainingJobErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TrainingJobError';
  }
}
