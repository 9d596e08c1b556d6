package io.depthflow.job.liquidity;

/**
 * How many levels of each side of a book the cross-venue computations need; see {@link
 * Liquidity#depthNeeded}.
 *
 * @param bids levels of the bid side, best first
 * @param asks levels of the ask side, best first
 */
public record DepthNeeded(int bids, int asks) {}
