/** lib/model: backends, architectures, training, cross-validation, saving and loading. */
export * from './architectures/index.ts';
export { selectBackend, assertTrainable, BACKEND_NAMES, type BackendInfo, type BackendName, type SelectBackendOptions } from './backend/select.ts';
export { resolveTrainConfig, DEFAULT_TRAIN_CONFIG, TrainConfigSchema, type TrainConfig } from './trainConfig.ts';
export { resolveExperimentConfig, loadExperimentConfig, type ExperimentConfig } from './experimentConfig.ts';
export { trainClassifier, predictScores, initInputNormalization, toInputTensor, type EpochRecord, type TrainHooks, type TrainResult } from './train.ts';
export { stackSet, balancedClassWeights, lossAndAccuracy, type LabelledSet } from './tensorData.ts';
export { crossValidate, innerSplit, type CrossValidationOptions, type CrossValidationResult, type FoldHistory, type OofPrediction } from './crossValidate.ts';
export { saveModel, loadModel, loadModelMeta, MODEL_FILE, WEIGHTS_FILE, META_FILE, type ModelMeta, type LoadedModel } from './io.ts';
export { layersModelFrom, modelFromFiles, parseModelDetector, parseModelMeta, type ModelFiles } from './artifacts.ts';
