import { moderateReviewSchema } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { printJson, printLines } from '../output.js';
import { printModerationQueue, printReviews } from './marketplace-format.js';
import { choice, clientFor, globalOptions, splitList } from './shared.js';

/** Registers `mission marketplace review|reviews|report|moderation|moderate|blocked-words`. */
export function registerMarketplaceReviewCommands(marketplace: Command): void {
  marketplace
    .command('review <listing-id>')
    .description('Rate and review a listing you installed (again: replaces your review)')
    .requiredOption('--rating <stars>', '1 to 5')
    .option('--body <text>', 'what you found')
    .addHelpText('after', '\nExample:\n  mission marketplace review <listing-id> --rating 4 --body "Finds good sources, a bit slow"')
    .action(async (listingId: string, options: { rating: string; body?: string }, command: Command) => {
      const rating = Number(options.rating);
      if (!Number.isInteger(rating) || rating < 1 || rating > 5)
        throw new UsageError(`--rating takes a whole number from 1 to 5; got "${options.rating}".`);
      const review = await (await clientFor(command)).marketplace.reviews.post(listingId, {
        rating,
        ...(options.body !== undefined ? { body: options.body } : {}),
      });
      if (globalOptions(command).json) return printJson(review);
      printLines(
        review.status === 'published'
          ? `Rated it ${review.rating}/5 (review ${review.id}).`
          : `Rated it ${review.rating}/5 (review ${review.id}); it waits for a moderator before it counts.`,
      );
    });

  marketplace
    .command('reviews <listing-id>')
    .description('List the published reviews of a listing, newest first')
    .action(async (listingId: string, _options: unknown, command: Command) => {
      const page = await (await clientFor(command)).marketplace.reviews.list(listingId, { limit: 200 });
      if (globalOptions(command).json) return printJson(page.data);
      printReviews(page.data);
    });

  marketplace
    .command('report <listing-id> <review-id>')
    .description('Report a review to the moderators; it stops counting until one decides')
    .requiredOption('--reason <text>', 'what is wrong with it')
    .action(async (listingId: string, reviewId: string, options: { reason: string }, command: Command) => {
      await (await clientFor(command)).marketplace.reviews.report(listingId, reviewId, options.reason);
      if (globalOptions(command).json) return printJson({ ok: true });
      printLines(`Reported review ${reviewId}; it waits for a moderator.`);
    });

  marketplace
    .command('moderation')
    .description('Reviews waiting for a moderator, oldest first (server administrators)')
    .option('--decided', 'the reviews already approved or rejected instead')
    .action(async (options: { decided?: boolean }, command: Command) => {
      const page = await (await clientFor(command)).marketplace.reviews.moderationQueue({
        status: options.decided ? 'decided' : 'pending',
        limit: 200,
      });
      if (globalOptions(command).json) return printJson(page.data);
      printModerationQueue(page.data);
    });

  marketplace
    .command('moderate <review-id> <decision>')
    .description('Approve a review (it counts) or reject it (it is hidden), with a reason (server administrators)')
    .requiredOption('--reason <text>', 'why, kept with the review')
    .addHelpText('after', '\nExample:\n  mission marketplace moderate <review-id> reject --reason "Advertises another product"')
    .action(async (reviewId: string, decision: string, options: { reason: string }, command: Command) => {
      const review = await (await clientFor(command)).marketplace.reviews.moderate(reviewId, {
        decision: choice('<decision>', decision, moderateReviewSchema.shape.decision.options),
        reason: options.reason,
      });
      if (globalOptions(command).json) return printJson(review);
      printLines(
        review.status === 'published' ? `Approved review ${review.id}: it counts.` : `Rejected review ${review.id}: it is hidden.`,
      );
    });

  marketplace
    .command('blocked-words')
    .description('Show the moderation word list, or replace it with --set (server administrators)')
    .option('--set <words>', 'comma-separated words: a review with any of them waits for a moderator ("" empties the list)')
    .addHelpText('after', '\nExamples:\n  mission marketplace blocked-words\n  mission marketplace blocked-words --set scam,spam')
    .action(async (options: { set?: string }, command: Command) => {
      const reviews = (await clientFor(command)).marketplace.reviews;
      const words = options.set === undefined ? await reviews.blockedWords() : await reviews.setBlockedWords(splitList(options.set) ?? []);
      if (globalOptions(command).json) return printJson(words);
      printLines(
        words.length === 0
          ? 'No words: reviews wait for a moderator only when reported.'
          : `A review with any of these words waits for a moderator: ${words.join(', ')}`,
      );
    });
}
