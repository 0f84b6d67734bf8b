import { describe, expect, it } from 'vitest';
import { dtypeFor, dtypeSetting } from './dtype-map.js';

describe('DTYPE', () => {
  it('defaults to fp16 on CUDA and fp32 on CPU', () => {
    const setting = dtypeSetting.parse('');
    expect([dtypeFor('cuda', setting), dtypeFor('cpu', setting)]).toEqual(['fp16', 'fp32']);
  });

  it('takes one dtype for every device', () => {
    const setting = dtypeSetting.parse('q8');
    expect([dtypeFor('cuda', setting), dtypeFor('cpu', setting)]).toEqual(['q8', 'q8']);
  });

  it('takes a per-device map, defaulting the device it leaves out', () => {
    const setting = dtypeSetting.parse('cpu:q4');
    expect([dtypeFor('cuda', setting), dtypeFor('cpu', setting)]).toEqual(['fp16', 'q4']);
    expect(dtypeFor('cuda', dtypeSetting.parse(' cuda:fp32 , cpu:q8 '))).toBe('fp32');
  });

  it('refuses what it does not know, naming the entry', () => {
    expect(() => dtypeSetting.parse('tpu:fp16')).toThrow(/DTYPE entry 'tpu:fp16'/);
    expect(() => dtypeSetting.parse('cpu:int3')).toThrow(/DTYPE entry 'cpu:int3'/);
  });
});
