let facto n =
   if n = 0 then 1 else n * facto (n-1);;
let x = 3 in
let f x = f x in
();;
let value1 = 3 in
let value2 = value2 + 1 in
();;
let foobar1 () = () in
let foobar2 () = foobar2 () in
();;
let g f = f ();;
let _ = g 3;;
let x = read_int in
print_int x;;
let g f =
  let _ = f () in
  3 = f;;
let check f = f ();;
let f ~x = ();;
let () = check f;;
