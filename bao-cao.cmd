@echo off
rem Double-click: the clerk's menu (dicoso/cli/menu.py). The first time, a private Python
rem environment (.venv) with what running needs (requirements-run.txt); again when that changes.
chcp 65001 >nul
rem pushd, not cd: it also works when the folder is on a network share (\\server\share)
pushd "%~dp0"
set "PY=py -3"
py -3 -c "import sys" >nul 2>nul || set "PY=python"
%PY% -c "import sys" >nul 2>nul || goto nopython
%PY% -c "import sys; sys.exit(sys.version_info < (3, 11))" || goto oldpython
if not exist ".venv\Scripts\python.exe" %PY% -m venv .venv || goto failed
fc /b requirements-run.txt .venv\requirements-run.txt >nul 2>nul || (
  echo Lần đầu chạy: đang cài các thư viện cần thiết, vui lòng chờ vài phút...
  ".venv\Scripts\python.exe" -m pip install --disable-pip-version-check -r requirements-run.txt || goto failed
  copy /y requirements-run.txt .venv\requirements-run.txt >nul
)
".venv\Scripts\python.exe" generate.py menu || pause
exit /b
:nopython
echo Máy chưa cài Python. Tải Python 3.11 trở lên tại https://www.python.org/downloads/ và cài đặt,
echo nhớ đánh dấu ô "Add python.exe to PATH", rồi bấm đúp lại vào tệp này.
pause
exit /b 1
:oldpython
%PY% generate.py
pause
exit /b 1
:failed
echo Chưa cài được các thư viện (xem thông báo ở trên). Kiểm tra kết nối Internet rồi bấm đúp lại vào tệp này.
pause
exit /b 1
