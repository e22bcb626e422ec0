/** Bad input to the ngram-bag trainer (label index out of range, wrong class-weight count, no tasks). */
export class TrainerInputError extends Error {
  readonly code = 'TRAINER_INPUT_INVALID';
  override readonly name = 'TrainerInputError';
}

/**
 * Training diverged: the loss of an epoch is no number or out of all proportion (the weights blew up, as a
 * learning rate or L2 penalty far too large makes them), so no model could come of it.
 */
export class TrainingDivergedError extends Error {
  readonly code = 'TRAINING_DIVERGED';
  override readonly name = 'TrainingDivergedError';
}
