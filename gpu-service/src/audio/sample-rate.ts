/**
 * The one sample rate of the GPU service: ffmpeg decodes every input to it, and every model here
 * (Whisper, Silero VAD, pyannote segmentation, WeSpeaker) was trained on 16 kHz audio.
 */
export const SAMPLE_RATE = 16_000;
