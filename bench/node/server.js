// A minimal socket.io server with the same event shape as Lantern's chat: "join" a room,
// "send" gets an ack and a broadcast to the room. No auth, no screening, no database:
// the ceiling the bench compares Lantern against.
const { Server } = require("socket.io");
const port = Number(process.argv[2] || 5100);
const io = new Server(port, { maxHttpBufferSize: 64 * 1024 });
let nextId = 1;
io.on("connection", (socket) => {
  socket.on("join", (data, ack) => {
    socket.join("room:" + data.room_id);
    if (ack) ack({ ok: true, messages: [] });
  });
  socket.on("send", (data, ack) => {
    const message = { id: nextId++, room_id: data.room_id, client_id: data.client_id, html: data.body };
    if (ack) ack({ ok: true, message, created: true });
    io.to("room:" + data.room_id).emit("message", message);
  });
});
console.log("listening " + port);
