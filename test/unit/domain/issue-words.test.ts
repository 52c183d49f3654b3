import { describe, expect, it } from 'vitest';
import { issueInWords } from '../../../src/domain/issue-words.js';

describe('an input issue in words', () => {
  it('names a field by its path in words', () => {
    expect(issueInWords('company.postalCode', 'is required')).toEqual({
      fields: { 'company.postalCode': 'is required' },
      sentence: 'Company postal code is required',
    });
  });

  it('lands an entry of a list at the list, counted from 1, as well as at its own path', () => {
    expect(issueInWords('emails.1', 'must be an email address')).toEqual({
      fields: { 'emails.1': 'must be an email address', emails: 'Entry 2 must be an email address' },
      sentence: 'Entry 2 of emails must be an email address',
    });
    expect(issueInWords('items.0.quantity', 'must be at least 1')).toEqual({
      fields: { 'items.0.quantity': 'must be at least 1', items: 'Quantity of entry 1 must be at least 1' },
      sentence: 'Quantity of entry 1 of items must be at least 1',
    });
    expect(issueInWords('hardware.macAddresses.1', 'contains a NUL character').sentence).toBe('Entry 2 of hardware mac addresses contains a NUL character');
  });

  it('lands a query or path parameter at the field of its name', () => {
    expect(issueInWords('querystring.expiresInDays', 'must be at most 90')).toEqual({
      fields: { 'querystring.expiresInDays': 'must be at most 90', expiresInDays: 'must be at most 90' },
      sentence: 'Expires in days must be at most 90',
    });
    expect(issueInWords('body', 'line 3, column 2 contains a NUL character').sentence).toBe('Line 3, column 2 contains a NUL character');
  });

  it('keeps a message that is a sentence of its own apart from the name, and words one about the whole request alone', () => {
    expect(issueInWords('name', 'Too long').sentence).toBe('Name: Too long');
    expect(issueInWords('', 'name at least one field to change').sentence).toBe('Name at least one field to change');
  });
});
