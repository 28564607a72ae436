import { effectiveMaskMode } from '../../../src/domain/destinations/url-check';
import { maskUrl } from '../../../src/domain/webhook/url-masking';

describe('maskUrl', () => {
  it.each<[string, 'none' | 'query' | 'path-and-query', string]>([
    ['https://a.example.com/x/y?code=abc', 'none', 'https://a.example.com/x/y?code=abc'],
    ['https://a.example.com/x/y?code=abc&sig=def', 'query', 'https://a.example.com/x/y?code=•••&sig=•••'],
    ['https://a.example.com/x?abc123token', 'query', 'https://a.example.com/x?•••'],
    ['https://a.example.com/x', 'query', 'https://a.example.com/x'],
    ['https://a.example.com:8088/services/collector/tok?x=1', 'path-and-query', 'https://a.example.com:8088/services/•••?x=•••'],
    ['https://hooks.slack.com/services/T000/B000/XXXXXXXX', 'path-and-query', 'https://hooks.slack.com/services/•••'],
    ['https://a.example.com/only', 'path-and-query', 'https://a.example.com/only'],
    ['https://a.example.com/', 'path-and-query', 'https://a.example.com/'],
    ['not a url', 'query', '•••'],
  ])('%s (%s)', (url, mode, shown) => {
    expect(maskUrl(url, mode)).toBe(shown);
  });
  it('always masks Slack path and query', () => {
    expect(effectiveMaskMode('slack', 'none')).toBe('path-and-query');
    expect(effectiveMaskMode('custom', 'query')).toBe('query');
  });
});
