// Two users chat at the same time through the reference SSOT dispatcher and its WebSocket bridge.
// Each user's browser (a `ws` client here) sees the five events of its own runs, in order, exactly
// once, and nothing of the other user's. Run it with `node examples/chat-two-users.mjs`.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  assertRunSequence,
  createHmacToken,
  createToolDispatcher,
  createUserContext,
  createWebSocketBridge,
  defineTool,
  hmacAuthenticator,
} from 'ssot-kit/dispatcher';

const secret = 'example-secret-do-not-use-in-production';

// 1. One bridge per process: it authenticates sockets and routes every event to its own user only.
const bridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(secret) });

// 2. Tools are defined once (schemas compiled once) and registered per request-scoped dispatcher.
const searchDocs = defineTool({
  name: 'search_docs',
  description: 'Search the knowledge base',
  parameters: { type: 'object', properties: { query: { type: 'string', minLength: 1 } }, required: ['query'] },
  handler: async ({ query }, { signal }) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (signal.aborted) throw new Error('aborted');
    return [`${query}: result 1`, `${query}: result 2`];
  },
});

// 3. A user's client connects with a token and asks to resume nothing (a fresh session).
async function connect(userId) {
  const token = createHmacToken(userId, secret);
  const socket = new WebSocket(`ws://127.0.0.1:${bridge.port}/?token=${token}`);
  const events = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type !== 'snapshot') events.push(message);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'resume', runs: {} }));
  return { socket, events };
}

// 4. Each request gets its own frozen context and its own dispatcher: no state is shared.
async function chat(userId, question) {
  const context = createUserContext({ userId, runId: randomUUID(), threadId: `thread-${userId}` });
  const dispatcher = createToolDispatcher(context, { tools: [searchDocs], sink: bridge.sink });
  const result = await dispatcher.run(async (run) => {
    run.thinking(`Looking up "${question}"`);
    const found = await run.dispatch('search_docs', { query: question });
    return `Found ${found.result.length} results for ${question}`;
  }, { input: question });
  await dispatcher.flush();
  dispatcher.dispose();
  return { runId: context.runId, result };
}

const users = ['alice', 'bob'];
const clients = Object.fromEntries(await Promise.all(users.map(async (u) => [u, await connect(u)])));
const runs = await Promise.all(users.flatMap((u) => [chat(u, `${u}'s question`), chat(u, `${u}'s follow-up`)]));
await new Promise((resolve) => setTimeout(resolve, 200)); // let the last frames arrive

for (const user of users) {
  const events = clients[user].events;
  assertRunSequence(events); // per run: agent_started first, seq gapless, tool pairs closed, agent_completed last
  const foreign = events.filter((e) => e.userId !== user);
  const types = [...new Set(events.map((e) => e.type))];
  console.log(`${user}: ${events.length} events in ${new Set(events.map((e) => e.runId)).size} runs, types ${types.join(' ')}, foreign ${foreign.length}`);
  if (foreign.length) throw new Error(`${user} received another user's events`);
}
console.log(`runs: ${runs.map((r) => r.result.status).join(', ')}`);
for (const { socket } of Object.values(clients)) socket.close();
await bridge.close();
