import type { EmailClassifier } from '@mailroute/model';
import { ModelLoadError } from '../errors.js';

/** An invented email used to check a freshly loaded model before it serves real traffic. */
const CANARY = { id: 'canary', subject: 'Frage zu meinem Depot', body: 'Hello, please check my last transfer. Thank you.' };

/** One canary prediction: every task answered, labels from the taxonomy, confidences in [0, 1]. */
export async function verifyClassifier(classifier: EmailClassifier): Promise<void> {
  if (classifier.tasks.length === 0) throw new ModelLoadError(`Model ${classifier.modelId} declares no tasks.`);
  const [prediction] = await classifier.predict([CANARY]);
  if (!prediction) throw new ModelLoadError(`Model ${classifier.modelId} returned no prediction for the canary email.`);
  for (const task of classifier.tasks) {
    const p = prediction.tasks[task.name];
    if (!p) throw new ModelLoadError(`Model ${classifier.modelId} gave no prediction for task ${task.name}.`);
    if (!task.labels.includes(p.label)) throw new ModelLoadError(`Model ${classifier.modelId} predicted a label outside task ${task.name}.`);
    if (!Number.isFinite(p.confidence) || p.confidence < 0 || p.confidence > 1) {
      throw new ModelLoadError(`Model ${classifier.modelId} gave a confidence outside [0, 1] for task ${task.name}.`);
    }
  }
}
