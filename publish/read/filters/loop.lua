-- Not a filter: the program of the long-lived pandoc of publish/read/pandoc_process.py,
-- run as `pandoc lua loop.lua`. It converts one manuscript after another, each as the
-- one-shot command of publish/read/pandoc.py does (markdown+smart to html5, no
-- wrapping, MathML, the -M values over the document's own metadata, then the Lua
-- filters in order), so that a worker pays pandoc's start once, not once per article.
--
-- Request on stdin: one line of JSON {bytes, mark, meta = [[key, value]...], filters,
-- abbreviations},
-- then `bytes` bytes of text. Answer on stdout: one line of JSON {html, log} (their
-- lengths in bytes) or {error}, then the HTML and the JSON log (pandoc's messages, as
-- --log writes them).

-- collect.lua reads the reading's marker from the environment: one per request here.
local getenv = os.getenv
local overrides = {}
os.getenv = function(name)
  local value = overrides[name]
  if value ~= nil then return value end
  return getenv(name)
end

-- As the command line reads -M KEY=VALUE: true and false are booleans, the rest strings.
local function meta_value(text)
  if text == "true" or text == "True" or text == "TRUE" then return true end
  if text == "false" or text == "False" or text == "FALSE" then return false end
  return text
end

local function convert(request, text)
  -- The command line's abbreviations (its data file; the reader's own default differs),
  -- and the reader in a sandbox with no files, as --sandbox runs it.
  local abbreviations = {}
  for _, word in ipairs(request.abbreviations) do abbreviations[word] = true end
  local doc = pandoc.read(text, "markdown+smart", { abbreviations = abbreviations }, {})
  for _, pair in ipairs(request.meta) do
    doc.meta[pair[1]] = meta_value(pair[2])
  end
  for _, path in ipairs(request.filters) do
    doc = pandoc.utils.run_lua_filter(doc, path)
  end
  -- The command line ends its output with a newline.
  return pandoc.write(doc, "html5", { wrap_text = "none", html_math_method = "mathml" }) .. "\n"
end

local function answer(header, ...)
  io.stdout:write(pandoc.json.encode(header), "\n", ...)
  io.stdout:flush()
end

while true do
  local line = io.stdin:read("l")
  if line == nil then break end
  local request = pandoc.json.decode(line, false)
  local text = request.bytes > 0 and io.stdin:read(request.bytes) or ""
  overrides = { PUBLISH_MARK = request.mark }
  local html
  local ok, messages = pcall(pandoc.log.silence, function() html = convert(request, text) end)
  overrides = {}
  if ok then
    local log = pandoc.json.encode(messages)
    answer({ html = #html, log = #log }, html, log)
  else
    answer({ error = tostring(messages) })
  end
  collectgarbage()
end
