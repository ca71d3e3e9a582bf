// A real MCP client (@modelcontextprotocol/sdk over Streamable HTTP): lists the server's tools, calls each requested
// one, and prints one JSON object with the server's identity, the tool names and every call's result.
// Usage: node call-tools.mjs URL '[{"name": "...", "arguments": {...}}, ...]'
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, calls] = process.argv.slice(2);
const client = new Client({ name: "litestream-actors-test", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
const tools = await client.listTools();
const results = [];
for (const call of JSON.parse(calls)) {
  const result = await client.callTool({ name: call.name, arguments: call.arguments ?? {} });
  results.push({ name: call.name, isError: Boolean(result.isError), text: result.content.map((c) => c.text ?? "").join("") });
}
console.log(JSON.stringify({ server: client.getServerVersion(), tools: tools.tools.map((t) => t.name).sort(), results }));
await client.close();
