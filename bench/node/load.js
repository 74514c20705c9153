// The load generator of bench/chat.py: `node load.js config.json`. One Node process holds
// many socket.io clients cheaply, so the server under test, not the generator, is measured
// (the python-socketio clients it replaces saturated two cores by themselves at N=200).
//
// config.json: {url, cookies (one per client, or null), count, room_id, pace_s, paced_s,
// saturate_s, saturating, out}. The process connects `count` clients, each joins the room,
// prints {"ready": count} and waits for a start time (epoch seconds) on stdin; then
//   paced:    from start for paced_s, every client sends one message every pace_s, their
//             first sends spread evenly over the first pace_s. Then it waits until no paced
//             message has arrived for QUIET_S (at most MAX_DRAIN_S: an overloaded server
//             may still be sending its backlog), prints {"drained": true} and waits for a
//             second start time on stdin, so that saturation does not measure the backlog;
//   saturate: from that time for saturate_s, the first `saturating` clients send as fast as
//             their acks come back.
// Each body carries its send time ("t=<epoch s>"), so every delivery to every client gives
// a send→receive latency, filed under the phase it was sent in. The rates count deliveries
// that arrive within DRAIN_S of their phase's end; the latencies include late ones too.
// The latencies (ms), the counts and the number of refused or timed-out sends are written
// to `out` as JSON, then {"done": true} is printed.
const fs = require("fs");
const readline = require("readline");
const { io } = require("socket.io-client");

const DRAIN_S = 1;
const QUIET_S = 1;
const MAX_DRAIN_S = 30;
const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const now = () => (performance.timeOrigin + performance.now()) / 1000; // epoch seconds, sub-ms
const sleep = (s) => new Promise((resolve) => setTimeout(resolve, Math.max(0, s * 1000)));
const STAMP = /t=([0-9.]+)/;

const latencies = { paced: [], saturate: [] };
const inTime = { paced: 0, saturate: 0 }; // deliveries within DRAIN_S of the phase's end
let errors = 0;
let lastPaced = 0; // when the latest paced message arrived
const windows = { paced: [Infinity, Infinity], saturate: [Infinity, Infinity] }; // [from, to) send times

function onMessage(message) {
  const received = now();
  const match = STAMP.exec((message && message.html) || "");
  if (!match) return;
  const sent = Number(match[1]);
  for (const phase of ["paced", "saturate"]) {
    const [from, to] = windows[phase];
    if (sent >= from && sent < to) {
      latencies[phase].push((received - sent) * 1000);
      if (received < to + DRAIN_S) inTime[phase] += 1;
      if (phase === "paced") lastPaced = received;
    }
  }
}

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function startTime() {
  const { value } = await lines.next();
  return Number(value);
}

function connect(cookie) {
  return new Promise((resolve, reject) => {
    const socket = io(config.url, {
      transports: ["websocket"],
      forceNew: true, // one connection per client (io() would otherwise share one)
      reconnection: false,
      timeout: 30000,
      extraHeaders: cookie ? { Cookie: cookie } : {},
    });
    socket.on("message", onMessage);
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => reject(new Error(`connect: ${error.message}`)));
  });
}

async function send(socket) {
  // An ordinary message: the stamp goes last, in brackets, where the screening model reads it
  // as nothing. First and bare ("t=1764064000.123 how is...") the model raised every message
  // to elevated or imminent, so each one made a flag and told the moderators: the bench then
  // measured the crisis path on 100% of the traffic, not a community's chat.
  const body = `how is everyone doing tonight? [t=${now().toFixed(6)}]`;
  const clientId = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  try {
    const answer = await socket.timeout(30000).emitWithAck("send", { room_id: config.room_id, client_id: clientId, body });
    if (!answer || !answer.ok) errors += 1;
  } catch (error) {
    errors += 1; // no ack within the timeout
  }
}

async function paced(socket, start, offset) {
  const end = start + config.paced_s;
  await sleep(start + offset - now());
  while (now() < end) {
    await send(socket);
    const elapsed = now() - start - offset;
    const next = now() + config.pace_s - (elapsed % config.pace_s);
    if (next >= end) break; // no waiting past the phase: saturation starts on time
    await sleep(next - now());
  }
}

async function flatOut(socket, end) {
  while (now() < end) await send(socket);
}

async function main() {
  const cookies = config.cookies || Array(config.count).fill(null);
  const sockets = [];
  // Connect in small batches: a burst of hundreds of handshakes only measures the backlog.
  for (let i = 0; i < config.count; i += 25) {
    sockets.push(...(await Promise.all(cookies.slice(i, Math.min(i + 25, config.count)).map(connect))));
  }
  for (const socket of sockets) {
    const answer = await socket.timeout(60000).emitWithAck("join", { room_id: config.room_id });
    if (!answer || !answer.ok) throw new Error(`join refused: ${JSON.stringify(answer)}`);
  }
  process.stdout.write(JSON.stringify({ ready: sockets.length }) + "\n");

  const start = await startTime();
  windows.paced = [start, start + config.paced_s];
  await Promise.all(sockets.map((socket, i) => paced(socket, start, (i * config.pace_s) / sockets.length)));
  const pacedEnd = Math.max(now(), start + config.paced_s);
  while (now() - Math.max(lastPaced, pacedEnd) < QUIET_S && now() - pacedEnd < MAX_DRAIN_S) await sleep(0.1);
  process.stdout.write(JSON.stringify({ drained: true }) + "\n");

  const satStart = await startTime();
  windows.saturate = [satStart, satStart + config.saturate_s];
  await sleep(satStart - now());
  await Promise.all(sockets.slice(0, config.saturating).map((socket) => flatOut(socket, satStart + config.saturate_s)));
  await sleep(satStart + config.saturate_s + DRAIN_S - now());

  fs.writeFileSync(config.out, JSON.stringify({ ...latencies, in_time: inTime, errors }));
  process.stdout.write(JSON.stringify({ done: true }) + "\n");
  for (const socket of sockets) socket.disconnect();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
