#!/usr/bin/env node
// A scripted MCP stdio server for the failure tests: it does on demand what real servers will
// not. The mode is the first argument:
//   ok        answers like a small server (tool "hello"); the base of the others
//   silent    never answers initialize
//   exit      writes to stderr and exits with status 3 at once
//   garbage   writes lines that are not JSON-RPC before each answer
//   slow      tools/call "sleep" never answers; a notifications/cancelled is logged to stderr
//   progress  tools/call "sleep" sends progress every 300 ms for 2 s, then answers
//   die       tools/call "crash" writes to stderr and exits with status 7 mid-call
//   big       tools/call "big" answers 10 MB of text
//   paged     tools/list answers one tool per page
//   changing  tools/call "grow" adds a tool and sends notifications/tools/list_changed first
//   asks      tools/call "ask" first sends the client sampling/createMessage and ping requests
//   version   answers initialize with protocol version 1999-01-01
//   traced    tools/call "trace" answers with the traceparent the call's params._meta carried
// With a second argument http:PORT it serves Streamable HTTP on 127.0.0.1:PORT instead of stdio
// (a session id per initialize, JSON answers), and these modes are for that:
//   late      accepts notifications/initialized only after 300 ms, and lists tool "late" from then
//   forgets   answers 404 to a session after its first tools/call, as a restarted server would
//   resumes   ends the SSE stream of tools/call "hello" before the answer; a GET with
//             Last-Event-ID then gets it
'use strict';
const mode = process.argv[2] || 'ok';
if (mode === 'exit') {
  process.stderr.write('scripted server: cannot start (mode exit)\n');
  process.exit(3);
}
process.stderr.write('scripted server: started in mode ' + mode + '\n');

let tools = [{name: 'hello', description: 'Says hello', inputSchema: {type: 'object',
  properties: {name: {type: 'string'}}, required: ['name']}}];
if (mode === 'slow' || mode === 'progress') tools.push({name: 'sleep', inputSchema: {type: 'object'}});
if (mode === 'die') tools.push({name: 'crash', inputSchema: {type: 'object'}});
if (mode === 'big') tools.push({name: 'big', inputSchema: {type: 'object'}});
if (mode === 'changing') tools.push({name: 'grow', inputSchema: {type: 'object'}});
if (mode === 'asks') tools.push({name: 'ask', inputSchema: {type: 'object'}});
if (mode === 'traced') tools.push({name: 'trace', inputSchema: {type: 'object'}});
if (mode === 'paged') tools.push({name: 'second'}, {name: 'third'});

let send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const answer = (id, result) => {
  if (mode === 'garbage') process.stdout.write('this is not JSON\n{"half": \n[1,2,3]\n');
  send({jsonrpc: '2.0', id, result});
};
const text = (t) => ({content: [{type: 'text', text: t}]});
const cancelled = [];  // request ids the client cancelled, told by hello
const waiting = new Map();  // our request id -> what to do with the client's answer
let nextId = 1000;

function onMessage(message) {
  if (message.method === undefined) {  // the client's answer to one of our requests
    const then = waiting.get(message.id);
    if (then) {
      waiting.delete(message.id);
      then(message);
    }
    return;
  }
  const {id, method, params} = message;
  if (method === 'notifications/initialized' && mode === 'late') {
    tools.push({name: 'late', description: 'Listed once initialized', inputSchema: {type: 'object'}});
    return;
  }
  if (method === 'notifications/cancelled') {
    process.stderr.write('scripted server: cancelled ' + params.requestId + ' (' + params.reason + ')\n');
    cancelled.push(params.requestId);
    return;
  }
  if (id === undefined) return;
  if (method === 'initialize') {
    if (mode === 'silent') return;
    answer(id, {protocolVersion: mode === 'version' ? '1999-01-01' : params.protocolVersion,
                capabilities: {tools: {listChanged: true}},
                serverInfo: {name: 'scripted', version: '1.0.0'}});
    return;
  }
  if (method === 'tools/list') {
    if (mode !== 'paged') return answer(id, {tools});
    const index = params && params.cursor ? Number(params.cursor) : 0;
    const page = {tools: [tools[index]]};
    if (index + 1 < tools.length) page.nextCursor = String(index + 1);
    return answer(id, page);
  }
  if (method !== 'tools/call') {
    send({jsonrpc: '2.0', id, error: {code: -32601, message: 'Method not found: ' + method}});
    return;
  }
  const name = params.name;
  if (name === 'hello') {
    const note = cancelled.length ? ' (cancelled: ' + cancelled.join(',') + ')' : '';
    return answer(id, text('hello ' + params.arguments.name + note));
  }
  if (name === 'trace') {
    const traceparent = params._meta && params._meta.traceparent;
    return answer(id, text('traceparent ' + (traceparent || 'none')));
  }
  if (name === 'sleep' && mode === 'slow') return;  // never answers
  if (name === 'sleep') {
    const token = params._meta && params._meta.progressToken;
    let step = 0;
    const timer = setInterval(() => {
      step += 1;
      send({jsonrpc: '2.0', method: 'notifications/progress', params: {progressToken: token, progress: step, total: 7}});
      if (step === 7) {
        clearInterval(timer);
        answer(id, text('slept with progress'));
      }
    }, 300);
    return;
  }
  if (name === 'crash') {
    process.stderr.write('scripted server: crashing on purpose\n');
    process.exit(7);
  }
  if (name === 'big') return answer(id, text('HEAD' + 'x'.repeat(10 * 1024 * 1024) + 'TAIL'));
  if (name === 'grow') {
    // The notification before the answer: on one stream the client reads them in that order, so
    // the tests need not guess how long the notification takes to follow.
    tools.push({name: 'extra', description: 'Appeared later', inputSchema: {type: 'object'}});
    send({jsonrpc: '2.0', method: 'notifications/tools/list_changed'});
    answer(id, text('grown'));
    return;
  }
  if (name === 'ask') {
    const results = [];
    const done = () => { if (results.length === 2) answer(id, text(results.join('; '))); };
    const sampling = nextId++;
    waiting.set(sampling, (reply) => { results.push('sampling: ' + (reply.error ? 'error ' + reply.error.code : 'result')); done(); });
    send({jsonrpc: '2.0', id: sampling, method: 'sampling/createMessage', params: {messages: [], maxTokens: 1}});
    const ping = nextId++;
    waiting.set(ping, (reply) => { results.push('ping: ' + (reply.error ? 'error' : 'ok')); done(); });
    send({jsonrpc: '2.0', id: ping, method: 'ping'});
    return;
  }
  answer(id, {content: [{type: 'text', text: 'unknown tool ' + name}], isError: true});
}

function serveStdio() {
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) onMessage(JSON.parse(line));
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

function serveHttp(port) {
  const http = require('http');
  const replies = new Map();  // request id -> the HTTP response waiting for its answer
  const forgotten = new Set();  // session ids answered with 404 from now on
  let sessions = 0;
  let heldAnswer = null;  // resumes: the answer a GET with Last-Event-ID collects
  send = (message) => {
    const reply = message.method === undefined ? replies.get(message.id) : undefined;
    if (!reply) return;  // no stream to carry what the server says on its own
    replies.delete(message.id);
    reply.end(JSON.stringify(message));
  };
  http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const session = req.headers['mcp-session-id'];
      if (session && forgotten.has(session)) return res.writeHead(404).end('unknown session');
      if (req.method === 'DELETE') return res.writeHead(200).end();
      if (req.method === 'GET') {
        if (mode !== 'resumes' || req.headers['last-event-id'] !== '1' || !heldAnswer)
          return res.writeHead(405).end();
        process.stderr.write('scripted server: resumed after event 1\n');
        res.writeHead(200, {'Content-Type': 'text/event-stream'});
        res.end('id: 2\ndata: ' + JSON.stringify(heldAnswer) + '\n\n');
        heldAnswer = null;
        return;
      }
      const message = JSON.parse(body);
      if (message.id === undefined || message.method === undefined) {  // notification or answer
        const accept = () => {
          onMessage(message);
          res.writeHead(202).end();
        };
        if (mode === 'late' && message.method === 'notifications/initialized') setTimeout(accept, 300);
        else accept();
        return;
      }
      const headers = {'Content-Type': 'application/json'};
      if (message.method === 'initialize') headers['Mcp-Session-Id'] = 'session-' + ++sessions;
      if (message.method === 'tools/call' && mode === 'forgets') forgotten.add(session);
      if (message.method === 'tools/call' && mode === 'resumes' && message.params.name === 'hello') {
        heldAnswer = {jsonrpc: '2.0', id: message.id, result: text('hello ' + message.params.arguments.name + ', resumed')};
        res.writeHead(200, {'Content-Type': 'text/event-stream'});
        const note = {jsonrpc: '2.0', method: 'notifications/message', params: {level: 'info', data: 'working'}};
        res.end('retry: 100\nid: 1\ndata: ' + JSON.stringify(note) + '\n\n');  // ends before the answer
        return;
      }
      res.writeHead(200, headers);
      replies.set(message.id, res);
      onMessage(message);
    });
  }).listen(port, '127.0.0.1');
}

const listen = process.argv[3] || '';
if (listen.startsWith('http:')) serveHttp(Number(listen.slice(5)));
else serveStdio();
