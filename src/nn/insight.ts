// The layer arithmetic behind the calculator page: parameters of a conv layer, and the receptive
// field of a stack of conv/pool layers.
import { fail } from '../core/errors';
import { boolOption, intOption, optionsObject, requiredInt, tupleOption } from '../core/options';

export interface ParamCountOptions {
  inChannels: number;
  outChannels: number;
  /** One integer or [kH, kW]. */
  kernelSize: number | number[];
  groups?: number;
  bias?: boolean;
}

/** Learnable parameters of a conv layer: outC * (inC / groups) * kH * kW weights, plus outC biases. */
export function paramCount(layer: ParamCountOptions): number {
  const o = optionsObject('layer', layer, 'layer');
  const inC = requiredInt('layer.inChannels', o.inChannels, 1);
  const outC = requiredInt('layer.outChannels', o.outChannels, 1);
  const groups = intOption('layer.groups', o.groups, 1, 1);
  if (o.kernelSize === undefined) fail('OPTION', 'layer.kernelSize', 'an integer >= 1 or [kH, kW]', undefined);
  if (Array.isArray(o.kernelSize) && o.kernelSize.length !== 1 && o.kernelSize.length !== 2) fail('OPTION', 'layer.kernelSize', 'an integer >= 1 or [kH, kW]', o.kernelSize);
  const k = Array.isArray(o.kernelSize) ? tupleOption('layer.kernelSize', o.kernelSize, 1, o.kernelSize.length, 1) : [intOption('layer.kernelSize', o.kernelSize, 1, 1)];
  if (inC % groups !== 0 || outC % groups !== 0) {
    fail('OPTION', 'layer.groups', `a divisor of inChannels (${inC}) and outChannels (${outC})`, groups);
  }
  const bias = boolOption('layer.bias', o.bias, true);
  const taps = Array.isArray(o.kernelSize) ? k.reduce((a, b) => a * b, 1) : k[0] * k[0];
  return outC * (inC / groups) * taps + (bias ? outC : 0);
}

export interface ReceptiveFieldLayer {
  kernelSize: number;
  stride?: number;
  padding?: number;
  dilation?: number;
}

export interface ReceptiveFieldStep {
  /** Input samples one output sample of this layer sees (along one axis). */
  receptiveField: number;
  /** Input samples between neighbouring outputs of this layer. */
  jump: number;
  /** Input coordinate of the centre of the first output's receptive field (0 = first input sample; negative reaches into padding). */
  start: number;
}

/**
 * Receptive field, jump and start after each layer of a stack of conv/pool layers along one axis:
 * jump *= stride; receptiveField += (dilation * (k - 1)) * previous jump;
 * start += (dilation * (k - 1) / 2 - padding) * previous jump.
 */
export function receptiveField(layers: ReceptiveFieldLayer[]): ReceptiveFieldStep[] {
  if (!Array.isArray(layers)) fail('OPTION', 'layers', 'an array of { kernelSize, stride, padding, dilation }', layers);
  let jump = 1;
  let rf = 1;
  let start = 0;
  return layers.map((layer, i) => {
    const o = optionsObject(`layers[${i}]`, layer, 'field');
    const k = requiredInt(`layers[${i}].kernelSize`, o.kernelSize, 1);
    const s = intOption(`layers[${i}].stride`, o.stride, 1, 1);
    const p = intOption(`layers[${i}].padding`, o.padding, 0, 0);
    const d = intOption(`layers[${i}].dilation`, o.dilation, 1, 1);
    const reach = d * (k - 1);
    rf += reach * jump;
    start += (reach / 2 - p) * jump;
    jump *= s;
    return { receptiveField: rf, jump, start };
  });
}
