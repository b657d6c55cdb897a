import { describe, expect, test } from '@jest/globals'
import { builtins, parseRFC3339 } from '../../../src/rego/builtins/time.js'
import { caller, context } from './support.js'

const call = caller(builtins, context(1_700_000_000_000_000_000n))

describe('time builtins', () => {
  test('time.now_ns comes from the context', () => {
    expect(call('time.now_ns')).toBe(1.7e18)
  })
  test('parse_rfc3339 is exact in BigInt, with offsets and fractions', () => {
    expect(parseRFC3339('1970-01-01T00:00:00Z')).toBe(0n)
    expect(parseRFC3339('2017-06-02T19:00:00.123456789-07:00')).toBe(1496455200123456789n)
    expect(parseRFC3339('0001-01-01T00:00:00Z')).toBe(-62135596800000000000n)
    expect(call('time.parse_rfc3339_ns', '1970-01-01T00:00:01.5Z')).toBe(1_500_000_000)
  })
  test('parse_rfc3339 rejects malformed and out-of-range text', () => {
    expect(() => call('time.parse_rfc3339_ns', '2017-06-02')).toThrow(/RFC 3339/)
    expect(() => call('time.parse_rfc3339_ns', '2017-02-30T00:00:00Z')).toThrow(/out of range/)
    expect(() => call('time.parse_rfc3339_ns', '2017-06-02t19:00:00z')).toThrow(/RFC 3339/)
    expect(call('time.parse_rfc3339_ns', '1970-01-01T00:00:00.1234567891Z')).toBe(123456789)
  })
  test('time.date, time.clock and time.weekday in UTC and in IANA zones', () => {
    expect(call('time.date', 1517814000 * 1e9)).toEqual([2018, 2, 5])
    expect(call('time.date', [1517814000 * 1e9, 'America/Los_Angeles'])).toEqual([2018, 2, 4])
    expect(call('time.date', [1517832000 * 1e9, ''])).toEqual([2018, 2, 5])
    expect(call('time.date', 1582977600 * 1e9)).toEqual([2020, 2, 29])
    expect(call('time.date', -1e9)).toEqual([1969, 12, 31])
    expect(call('time.clock', 1517832000 * 1e9)).toEqual([12, 0, 0])
    expect(call('time.clock', [1517832000 * 1e9, 'Asia/Kolkata'])).toEqual([17, 30, 0])
    expect(call('time.weekday', 1517918400000000000)).toBe('Tuesday')
    expect(call('time.weekday', 1518350400000000000)).toBe('Sunday')
    expect(() => call('time.clock', 1582977600 * 1e12)).toThrow(/timestamp too big/)
    expect(() => call('time.date', 1.5)).toThrow(/timestamp too big/)
    expect(() => call('time.date', [0, 'Mars/Olympus'])).toThrow(/unknown time zone Mars\/Olympus/)
    expect(() => call('time.date', [])).toThrow(/either number/)
  })
  test('time.add_date normalises like Go and rejects results outside int64', () => {
    expect(call('time.add_date', 1585852421593912000, 3, 9, 12)).toBe(1705257221593912000)
    expect(call('time.add_date', 1585852421593912000, -1, -1, -1)).toBe(1551465221593912000)
    // 2021-01-31 + 1 month = 2021-03-03 (February has 28 days).
    const jan31 = Number(parseRFC3339('2021-01-31T00:00:00Z'))
    expect(call('time.add_date', jan31, 0, 1, 0)).toBe(Number(parseRFC3339('2021-03-03T00:00:00Z')))
    expect(() => call('time.add_date', 0, 2262, 1, 1)).toThrow(/time outside of valid range/)
    expect(() => call('time.add_date', -9223372036854775808, 0, 0, -1)).toThrow(/time outside of valid range/)
  })
  test('time.diff counts calendar units between two times', () => {
    const ns = (s: string): number => call('time.parse_ns', '2006-01-02', s) as number
    expect(call('time.diff', ns('2020-02-02'), ns('2020-03-01'))).toEqual([0, 0, 28, 0, 0, 0])
    expect(call('time.diff', ns('2021-02-02'), ns('2021-03-01'))).toEqual([0, 0, 27, 0, 0, 0])
    expect(call('time.diff', ns('2004-02-29'), ns('2005-03-01'))).toEqual([1, 0, 1, 0, 0, 0])
    expect(call('time.diff', 61e9, 0)).toEqual([0, 0, 0, 0, 1, 1])
    expect(call('time.diff', [3600e9, 'UTC'], [0, 'Asia/Shanghai'])).toEqual([0, 0, 0, 1, 0, 0])
  })
  test('time.format with Go layouts, named layouts and zones', () => {
    // Nanosecond fractions are exact below 2^53 ns (early 1970); later times use whole seconds.
    const small = Number(parseRFC3339('1970-02-01T18:40:53.141828752Z'))
    expect(call('time.format', small)).toBe('1970-02-01T18:40:53.141828752Z')
    expect(call('time.format', [small, 'Asia/Kolkata'])).toBe('1970-02-02T00:10:53.141828752+05:30')
    expect(call('time.format', [small, 'UTC', 'Monday January _2 2006 03:04:05.000 pm MST'])).toBe('Sunday February  1 1970 06:40:53.141 pm UTC')
    expect(call('time.format', [small, 'UTC', '002 __2 06 .999 ,000000 .9'])).toBe('032  32 70 .141 ,141828 .1')
    const t = Number(parseRFC3339('2022-12-02T18:40:53Z'))
    expect(call('time.format', t)).toBe('2022-12-02T18:40:53Z')
    expect(call('time.format', [t, 'Asia/Kolkata'])).toBe('2022-12-03T00:10:53+05:30')
    expect(call('time.format', [t, 'Asia/Kolkata', 'Mon Jan 02 15:04:05 -0700 2006'])).toBe('Sat Dec 03 00:10:53 +0530 2022')
    expect(call('time.format', [t, 'Asia/Kolkata', 'RFC1123Z'])).toBe('Sat, 03 Dec 2022 00:10:53 +0530')
    expect(call('time.format', [t, 'UTC', 'Kitchen'])).toBe('6:40PM')
    expect(call('time.format', [t, 'America/New_York', '2006-01-02 15:04 MST Z07:00'])).toBe('2022-12-02 13:40 EST -05:00')
    // Zone abbreviations as tzdata has them; zones without letters print the offset.
    const july = 1657843200e9
    expect(call('time.format', [july, 'Europe/Berlin', 'UnixDate'])).toBe('Fri Jul 15 02:00:00 CEST 2022')
    expect(call('time.format', [july, 'Asia/Kolkata', 'UnixDate'])).toBe('Fri Jul 15 05:30:00 IST 2022')
    expect(call('time.format', [july, 'America/Sao_Paulo', 'UnixDate'])).toBe('Thu Jul 14 21:00:00 -03 2022')
    expect(call('time.format', [july, 'Asia/Kathmandu', 'MST'])).toBe('+0545')
    expect(() => call('time.format', 1582977600 * 10e12)).toThrow(/timestamp too big/)
  })
  test('time.parse_ns reads Go layouts', () => {
    expect(call('time.parse_ns', '2006-01-02', '2020-03-01')).toBe(1583020800e9)
    expect(call('time.parse_ns', 'RFC3339', '2020-03-01T10:00:00+02:00')).toBe(Number(parseRFC3339('2020-03-01T08:00:00Z')))
    expect(call('time.parse_ns', '2006-01-02T15:04:05Z07:00', '2020-03-01T10:00:00.5Z')).toBe(Number(parseRFC3339('2020-03-01T10:00:00.5Z')))
    expect(call('time.parse_ns', 'Jan _2 2006 3:04PM', 'Mar  1 2020 10:04PM')).toBe(Number(parseRFC3339('2020-03-01T22:04:00Z')))
    expect(call('time.parse_ns', '02 Jan 06 15:04 -0700', '01 Mar 20 10:00 -0130')).toBe(Number(parseRFC3339('2020-03-01T11:30:00Z')))
    expect(() => call('time.parse_ns', '2006-01-02', '2020-13-01')).toThrow('parsing time "2020-13-01": month out of range')
    expect(() => call('time.parse_ns', '2006-01-02', '2021-02-29')).toThrow('parsing time "2021-02-29": day out of range')
    expect(() => call('time.parse_ns', '2006-01-02', '2020-03-01x')).toThrow(/extra text: "x"/)
    expect(() => call('time.parse_ns', '2006-01-02', '2020/03/01')).toThrow('parsing time "2020/03/01" as "2006-01-02": cannot parse "/03/01" as "-"')
    expect(() => call('time.parse_ns', '2006-01-02', '1066-10-14')).toThrow(/outside of valid range/)
  })
  test('time.parse_duration_ns follows Go', () => {
    expect(call('time.parse_duration_ns', '1h30m')).toBe(5400e9)
    expect(call('time.parse_duration_ns', '1.5h')).toBe(5400e9)
    expect(call('time.parse_duration_ns', '-2.5s')).toBe(-2.5e9)
    expect(call('time.parse_duration_ns', '300ms')).toBe(300e6)
    expect(call('time.parse_duration_ns', '1µs1ns')).toBe(1001)
    expect(call('time.parse_duration_ns', '0')).toBe(0)
    expect(() => call('time.parse_duration_ns', '1')).toThrow('time: missing unit in duration "1"')
    expect(() => call('time.parse_duration_ns', '1d')).toThrow('time: unknown unit "d" in duration "1d"')
    expect(() => call('time.parse_duration_ns', '')).toThrow('time: invalid duration ""')
    expect(() => call('time.parse_duration_ns', '9999999999h')).toThrow(/invalid duration/)
  })
})
