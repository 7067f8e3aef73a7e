console.log('node build placeholder')
