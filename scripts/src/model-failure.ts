/**
 * What to tell someone whose model did not load, in one line: a hub model that could not be
 * downloaded (offline, no such id) gets the offline alternative, `--test-model`.
 */
export function modelFailureLine(modelError: string, modelName: string): string {
  const download = /could not be downloaded from the Hugging Face Hub \((.*)\)\. Fix:/.exec(modelError);
  if (download) {
    return (
      `the model ${modelName} could not be downloaded (${download[1]}): start with \`npm start -- --test-model\` ` +
      'to run offline on the generated model, or set WHISPER_MODEL to a local model directory'
    );
  }
  return `the GPU service could not load its model: ${modelError}`;
}
