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

  it('refuses what a reverse proxy relays, though its Host is loopback (QA: nginx proxy_pass opened a server without keys to the network)', () => {
    expect(notFromLoopback({ host: '127.0.0.1:8080', 'x-forwarded-for': '10.1.2.3' })).toBe('it came through a proxy (its x-forwarded-for header), which relays clients of other machines');
    for (const name of ['forwarded', 'x-forwarded-host', 'x-real-ip', 'via']) expect(notFromLoopback({ host: 'localhost:8080', [name]: 'x' }), name).toMatch(new RegExp(`its ${name} header`));
  });

  it('says an empty Host header is empty, not that it names nothing', () => {
    expect(notFromLoopback({ host: '' })).toBe('its Host header is empty');
    expect(notFromLoopback({ host: '  ' })).toBe('its Host header is empty');
  });
});
