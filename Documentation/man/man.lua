-- SPDX-License-Identifier: GPL-2.0-only
-- pandoc Lua filter for the man pages (Documentation/man/mkman.sh):
--  * section headings (level 1, .SH) in capitals, as man pages have them;
--  * tables whose text would not fit an 80-column terminal get relative
--    column widths from the longest cell of each column, so tbl wraps
--    them instead of warning "table wider than line width", set ragged
--    right.

-- Room for a table at MANWIDTH=80: man-db sets 78 columns, 7 are indent.
local WIDTH = 70

function Header(h)
  if h.level == 1 then
    return pandoc.walk_block(h, {
      Str = function(s) return pandoc.Str(pandoc.text.upper(s.text)) end,
      Code = function(c) return pandoc.Code(pandoc.text.upper(c.text)) end,
    })
  end
end

local function cell_text(cell)
  return pandoc.utils.stringify(cell.contents)
end

function Table(t)
  local n = #t.colspecs
  local longest, word = {}, {}
  for i = 1, n do longest[i], word[i] = 1, 1 end
  local function scan(rows)
    for _, row in ipairs(rows) do
      for i, cell in ipairs(row.cells) do
        if i <= n then
          local text = cell_text(cell)
          longest[i] = math.max(longest[i], pandoc.text.len(text))
          for w in text:gmatch('%S+') do
            word[i] = math.max(word[i], pandoc.text.len(w))
          end
        end
      end
    end
  end
  scan(t.head.rows)
  for _, body in ipairs(t.bodies) do scan(body.body) end
  -- tbl puts 3 columns between columns.
  local avail = WIDTH - 3 * (n - 1)
  local total = 0
  for i = 1, n do total = total + longest[i] end
  if total <= avail then
    return nil
  end
  -- Every column gets its longest word (up to 24 columns), the rest of
  -- the room goes to the columns in proportion to what they still lack.
  local width, base, lack, lacksum = {}, 0, {}, 0
  for i = 1, n do
    width[i] = math.min(word[i], 24)
    base = base + width[i]
    lack[i] = longest[i] - width[i]
    lacksum = lacksum + lack[i]
  end
  local extra = math.max(avail - base, 0)
  for i = 1, n do
    if lacksum > 0 then width[i] = width[i] + extra * lack[i] / lacksum end
    -- pandoc writes a width w as w * 70 columns.
    t.colspecs[i] = {t.colspecs[i][1], width[i] / 70}
  end
  -- Ragged right inside the narrow cells: justifying them makes troff
  -- warn "cannot adjust line".
  return {pandoc.RawBlock('man', '.na'), t, pandoc.RawBlock('man', '.ad')}
end
