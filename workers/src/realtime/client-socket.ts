import type { ApiError, RealtimeErrorBody } from '@whisper-edge/shared';
import type { Outgoing } from './item-events.js';

const eventId = () => `event_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;

/** Sends a server event to the client, stamped with its own event_id. */
export function sendEvent(ws: WebSocket, event: Outgoing): void {
  try {
    ws.send(JSON.stringify({ event_id: eventId(), ...event }));
  } catch {
    // the client is gone; its close handler ends the session
  }
}

/** An error event, naming the client event it answers. */
export function sendError(ws: WebSocket, error: ApiError, clientEventId: string | null): void {
  const body: RealtimeErrorBody = { ...error.toBody().error, event_id: clientEventId };
  sendEvent(ws, { type: 'error', error: body });
}
