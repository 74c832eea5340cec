import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDate,
  formatDuration,
  formatPercent,
  formatRate,
  histogramQuantile,
  percentileLabel,
  rangeWindow,
  relativeTime,
  timeRange,
} from "./format";

describe("formatDuration", () => {
  it("picks a unit and precision by size", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(0.4234)).toBe("0.42 ms");
    expect(formatDuration(12.34)).toBe("12.3 ms");
    expect(formatDuration(12)).toBe("12 ms");
    expect(formatDuration(250.4)).toBe("250 ms");
    expect(formatDuration(1250)).toBe("1.25 s");
    expect(formatDuration(2000)).toBe("2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(120_000)).toBe("2 min");
  });
  it("shows a dash for no value", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(formatDuration(-1)).toBe("—");
  });
});

describe("formatCount and formatPercent", () => {
  it("abbreviates counts", () => {
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1200)).toBe("1.2k");
    expect(formatCount(1000)).toBe("1k");
    expect(formatCount(12_345)).toBe("12k");
    expect(formatCount(1_500_000)).toBe("1.5M");
    expect(formatCount(25_000_000)).toBe("25M");
  });
  it("gives shares with sensible precision", () => {
    expect(formatPercent(0, 100)).toBe("0%");
    expect(formatPercent(3, 120)).toBe("2.5%");
    expect(formatPercent(1, 3)).toBe("33%");
    expect(formatPercent(1, 1_000_000)).toBe("<0.01%");
    expect(formatPercent(4, 10_000)).toBe("0.04%");
    expect(formatPercent(1, 0)).toBe("—");
  });
  it("gives request rates", () => {
    expect(formatRate(3600, 3600)).toBe("1 req/s");
    expect(formatRate(0, 3600)).toBe("0 req/s");
    expect(formatRate(6, 3600)).toBe("0.1 req/min");
    expect(formatRate(120_000, 60)).toBe("2k req/s");
    expect(formatRate(5, 0)).toBe("—");
  });
});

describe("relativeTime", () => {
  const now = Date.parse("2026-11-27T12:00:00.000Z");
  it("says how long ago", () => {
    expect(relativeTime("2026-11-27T11:59:58.000Z", now)).toBe("just now");
    expect(relativeTime("2026-11-27T11:59:30.000Z", now)).toBe("30 s ago");
    expect(relativeTime("2026-11-27T11:57:00.000Z", now)).toBe("3 min ago");
    expect(relativeTime("2026-11-27T09:00:00.000Z", now)).toBe("3 h ago");
    expect(relativeTime("2026-11-26T12:00:00.000Z", now)).toBe("1 day ago");
    expect(relativeTime("2026-11-20T12:00:00.000Z", now)).toBe("7 days ago");
  });
  it("handles the future, old dates and bad input", () => {
    expect(relativeTime("2026-11-27T14:00:00.000Z", now)).toBe("in 2 h");
    expect(relativeTime("2026-01-01T00:00:00.000Z", now)).toBe("2026-01-01 00:00:00 UTC");
    expect(relativeTime(null, now)).toBe("never");
    expect(relativeTime("yesterday", now)).toBe("—");
    expect(formatDate("2026-11-27T04:15:00.123Z")).toBe("2026-11-27 04:15:00 UTC");
  });
});

describe("percentiles", () => {
  const bounds = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
  it("interpolates within a bucket", () => {
    const counts = new Array(14).fill(0);
    counts[2] = 100; // all requests between 2 and 5 ms
    expect(histogramQuantile(bounds, counts, 0.5)).toBeCloseTo(3.5);
    expect(histogramQuantile(bounds, counts, 0.99)).toBeCloseTo(4.97);
  });
  it("walks buckets in order and reports +Inf by its lower bound", () => {
    const counts = new Array(14).fill(0);
    counts[0] = 90;
    counts[13] = 10;
    expect(histogramQuantile(bounds, counts, 0.5)).toBeCloseTo(0.5556, 3);
    expect(histogramQuantile(bounds, counts, 0.95)).toBe(10000);
  });
  it("is null for an empty histogram or a bad quantile", () => {
    expect(histogramQuantile(bounds, new Array(14).fill(0), 0.5)).toBeNull();
    expect(histogramQuantile(bounds, [1], 1.5)).toBeNull();
  });
  it("labels percentiles", () => {
    expect(percentileLabel(0.5)).toBe("p50");
    expect(percentileLabel(0.95)).toBe("p95");
    expect(percentileLabel(0.999)).toBe("p99.9");
  });
});

describe("time ranges", () => {
  it("defaults to the last hour and aligns windows to the step", () => {
    expect(timeRange("bogus").key).toBe("1h");
    const r = timeRange("6h");
    const w = rangeWindow(r, Date.parse("2026-11-27T12:03:10.000Z"));
    expect(w.to).toBe("2026-11-27T12:05:00.000Z");
    expect(w.from).toBe("2026-11-27T06:05:00.000Z");
  });
});
