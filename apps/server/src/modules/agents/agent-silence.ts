/** "for 3 minutes": how long an agent has been silent, in words for the people told about it. */
export function describeSilence(lastHeartbeatAt: string | null, now: Date): string {
  if (!lastHeartbeatAt) return 'since it was registered';
  const minutes = Math.max(1, Math.round((now.getTime() - new Date(lastHeartbeatAt).getTime()) / 60_000));
  if (minutes < 120) return `for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.round(minutes / 60);
  return `for ${hours} hours`;
}
