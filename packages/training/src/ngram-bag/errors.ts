/** Bad input to the ngram-bag trainer (label index out of range, wrong class-weight count, no tasks). */
export class TrainerInputError extends Error {
  readonly code = 'TRAINER_INPUT_INVALID';
  override readonly name = 'TrainerInputError';
}
