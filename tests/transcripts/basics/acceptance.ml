let x = 1 + 2;;
let f y = y * x;;
f 14;;
