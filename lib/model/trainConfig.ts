/**
 * Typed training settings (BirdNET-style: defaults named once, validated at the edge). The defaults are the
 * recipe every shipped experiment config uses (16 epochs, cosine schedule, no early stopping), so a partial
 * `--config` gets it too; early stopping with a constant rate is an option (README "Results": its final
 * model counted 40–49 with MAE 6.2 on field-bg).
 */
import { z } from 'zod';
import { formatZodIssues } from '../util/zodIssues.ts';

export const TrainConfigSchema = z
  .object({
    /**
     * Registered architecture name (see lib/model/architectures), or 'auto': compact-cnn for a presence-labelled
     * target, compact-cnn-flat (whose score depends on where in the window a sound is) for an onset-labelled one.
     */
    model: z.string().min(1).default('compact-cnn'),
    /** Epochs every model trains (with early stopping: an upper bound). */
    maxEpochs: z.number().int().min(1).max(500).default(16),
    /** Epochs without a better validation loss before stopping (the best weights are restored). */
    patience: z.number().int().min(1).max(100).default(5),
    /** A validation loss must drop by more than this to count as better (Keras' min_delta). */
    minDelta: z.number().min(0).max(1).default(0.002),
    batchSize: z.number().int().min(1).max(1024).default(32),
    learningRate: z.number().positive().max(1).default(0.002),
    /**
     * 'cosine' anneals the learning rate from learningRate to learningRate·finalLearningRateFraction
     * over the epochs (half a cosine), so training ends in a settled state rather than wherever a
     * constant step left it; 'constant' keeps it.
     */
    lrSchedule: z.enum(['constant', 'cosine']).default('cosine'),
    finalLearningRateFraction: z.number().min(0).max(1).default(0.02),
    /**
     * true: stop on the inner validation loss (patience, min_delta), restore the best weights, and
     * train the final model for the folds' median best epoch. false: every model, the final one
     * included, trains exactly maxEpochs with the same schedule, so the folds' out-of-fold results
     * describe the final model's recipe.
     */
    earlyStopping: z.boolean().default(false),
    /** Weight each class by n / (2 · n_class) in the loss (balanced), or not at all. */
    classWeights: z.enum(['balanced', 'none']).default('balanced'),
    /** Share of the training groups held back (group-aware) for early stopping and the threshold. */
    innerValidationFraction: z.number().min(0.05).max(0.5).default(0.2),
    /** Cross-validation folds (stratified group k-fold). */
    folds: z.number().int().min(2).max(20).default(5),
    /** Seed for splits, weight init, shuffling and augmentation. */
    seed: z.number().int().min(0).default(42),
    /** Threshold picked on validation predictions to maximise this metric. */
    thresholdMetric: z.enum(['f1', 'accuracy']).default('f1'),
  })
  .strict();

export type TrainConfig = z.infer<typeof TrainConfigSchema>;
export const DEFAULT_TRAIN_CONFIG: TrainConfig = TrainConfigSchema.parse({});


export function resolveTrainConfig(partial: unknown = {}): TrainConfig {
  const parsed = TrainConfigSchema.safeParse(partial ?? {});
  if (!parsed.success) throw new Error(`train config: ${formatZodIssues(parsed.error, { prefix: 'train.', root: '(root)', input: partial })}`);
  return parsed.data;
}
