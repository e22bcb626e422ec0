import { describe, expect, it } from 'vitest';
import { notFromLoopback } from './node-server.js';

describe('notFromLoopback', () => {
  it('lets loopback Host and Origin through', () => {
    expect(notFromLoopback({ host: '127.0.0.1:8080' })).toBeUndefined();
    expect(notFromLoopback({ host: 'localhost:8080', origin: 'http://localhost:8080' })).toBeUndefined();
  });

  it('names the host or web page a request comes from', () => {
    expect(notFromLoopback({ host: 'evil.example:8080' })).toBe('its Host header names evil.example:8080');
    expect(notFromLoopback({ host: '127.0.0.1:8080', origin: 'https://evil.example' })).toBe('it comes from the web page of https://evil.example');
  });

  it('says an empty Host header is empty, not that it names nothing', () => {
    expect(notFromLoopback({ host: '' })).toBe('its Host header is empty');
    expect(notFromLoopback({ host: '  ' })).toBe('its Host header is empty');
  });
});
